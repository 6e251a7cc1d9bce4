//! `route_map.png`: where the runs go. Each route's course on a plain local
//! projection (km or miles from the home area's centre), coloured by route,
//! thicker the more it was run, the most-run routes labelled. Routes far from
//! home (races, holidays) are counted rather than drawn, so one trip abroad
//! does not shrink home to a dot.

use plotters::prelude::*;
use serde::Serialize;

use super::style::{self, Area, Drawn};
use crate::geo::{M_PER_DEG, haversine_m};
use crate::tables::readback::Readback;
use crate::units::Units;

/// Routes starting farther than this from the most-run route's start are "elsewhere".
const HOME_RADIUS_M: f64 = 30_000.0;
const LABELLED: usize = 5;

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    /// Most run first.
    pub routes: Vec<Course>,
    /// Routes not drawn because they start far from home.
    pub elsewhere: usize,
    /// "km" or "mi": the unit of every distance below.
    pub unit: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Course {
    pub id: String,
    pub runs: u32,
    /// In the series' unit, as are the points.
    pub distance: f64,
    /// East and north of the map's centre.
    pub points: Vec<(f64, f64)>,
}

pub fn series(input: &Readback, units: Units) -> Result<Series, String> {
    let routes: Vec<_> = input.routes.iter().filter(|r| r.track.len() >= 2).collect();
    let Some(home) = routes.first().map(|r| r.track[0]) else {
        return Err("No runs with GPS tracks to map".into());
    };
    let (near, far): (Vec<_>, Vec<_>) =
        routes.into_iter().partition(|r| haversine_m(home.0, home.1, r.track[0].0, r.track[0].1) <= HOME_RADIUS_M);
    // Centre on the drawn tracks' extent; a local equirectangular projection
    // is exact enough over a city.
    let all = near.iter().flat_map(|r| r.track.iter());
    let (lat0, lat1, lon0, lon1) = all.fold((f64::MAX, f64::MIN, f64::MAX, f64::MIN), |b, &(la, lo)| {
        (b.0.min(la), b.1.max(la), b.2.min(lo), b.3.max(lo))
    });
    let centre = (f64::midpoint(lat0, lat1), f64::midpoint(lon0, lon1));
    let cos = centre.0.to_radians().cos();
    let per_unit = units.m_per_unit();
    let project = |&(lat, lon): &(f64, f64)| {
        ((lon - centre.1) * cos * M_PER_DEG / per_unit, (lat - centre.0) * M_PER_DEG / per_unit)
    };
    Ok(Series {
        routes: near
            .iter()
            .map(|r| Course {
                id: r.id.clone(),
                runs: r.runs,
                distance: units.distance(r.distance_m),
                points: r.track.iter().map(project).collect(),
            })
            .collect(),
        elsewhere: far.len(),
        unit: units.distance_unit(),
    })
}

pub fn draw(s: &Series, area: &Area<'_>) -> Drawn {
    let pts = s.routes.iter().flat_map(|r| r.points.iter());
    let (x0, x1, y0, y1) = pts
        .fold((f64::MAX, f64::MIN, f64::MAX, f64::MIN), |b, &(x, y)| (b.0.min(x), b.1.max(x), b.2.min(y), b.3.max(y)));
    // Equal scale on both axes: a square map around the wider extent.
    let half = ((x1 - x0).max(y1 - y0) / 2.0).max(0.5) * 1.08;
    let (cx, cy) = (f64::midpoint(x0, x1), f64::midpoint(y0, y1));
    let elsewhere = match s.elsewhere {
        0 => String::new(),
        1 => " (1 route elsewhere not shown)".into(),
        n => format!(" ({n} routes elsewhere not shown)"),
    };
    let mut chart = ChartBuilder::on(area)
        .caption(format!("Your routes{elsewhere}"), style::title())
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(cx - half..cx + half, cy - half..cy + half)?;
    style::mesh(&mut chart).x_desc(format!("{} east", s.unit)).y_desc(format!("{} north", s.unit)).draw()?;
    let color = |i: usize| style::ROUTES[i.min(style::ROUTES.len() - 1)];
    // Legend entries most run first; the lines themselves are drawn least
    // run first, so the main routes end up on top.
    for (i, r) in s.routes.iter().enumerate().take(LABELLED) {
        let c = color(i);
        chart
            .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())?
            .label(format!("{}: {} runs, {:.1} {}", r.id, r.runs, r.distance, s.unit))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(4)));
    }
    let most = f64::from(s.routes.first().map_or(1, |r| r.runs).max(1));
    for (i, r) in s.routes.iter().enumerate().rev() {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 2..=7 px
        let width = (2.0 + 5.0 * f64::from(r.runs) / most).round() as u32;
        // Segment by segment with round joints: plotters fills a thick closed
        // polyline (a loop course) as a hollow outline.
        let stroke = color(i).stroke_width(width);
        chart.draw_series(r.points.windows(2).map(|w| PathElement::new(vec![w[0], w[1]], stroke)))?;
        let joint = i32::try_from(width / 2).unwrap_or(1);
        chart.draw_series(r.points.iter().map(|&p| Circle::new(p, joint, color(i).filled())))?;
    }
    for r in s.routes.iter().take(LABELLED) {
        let at = r.points[r.points.len() / 3];
        chart.draw_series(std::iter::once(
            EmptyElement::at(at)
                + Rectangle::new(
                    [(-2, -10), (8 * i32::try_from(r.id.len()).unwrap_or(2) + 4, 10)],
                    style::BACKGROUND.mix(0.85).filled(),
                )
                + Text::new(r.id.clone(), (1, -8), style::bold(15)),
        ))?;
    }
    style::legend(&mut chart, SeriesLabelPosition::UpperRight)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{Kind, render, testing};
    use crate::tables::readback::Route;
    use crate::units::Units;

    #[test]
    fn courses_are_projected_in_km_around_home() {
        let mut input = testing::input();
        input.routes.push(Route {
            id: "R4".into(),
            runs: 1,
            distance_m: 42_195.0,
            first_run: None,
            last_run: None,
            track: vec![(40.7, -74.0), (40.8, -73.9)],
        });
        let s = series(&input, Units::Metric).unwrap();
        assert_eq!(s.elsewhere, 1);
        assert_eq!(s.routes.len(), 3);
        let r1 = &s.routes[0];
        // A 0.02 degree square at 48 N: 2.2 km north, 1.5 km east.
        let (xs, ys): (Vec<f64>, Vec<f64>) = r1.points.iter().copied().unzip();
        let extent =
            |v: &[f64]| v.iter().copied().fold(f64::MIN, f64::max) - v.iter().copied().fold(f64::MAX, f64::min);
        assert!((extent(&ys) - 2.224).abs() < 0.01, "{ys:?}");
        assert!((extent(&xs) - 2.224 * 48f64.to_radians().cos()).abs() < 0.02, "{xs:?}");
    }

    #[test]
    fn imperial_units_reach_the_route_map() {
        let input = testing::input();
        let (km, mi) = (series(&input, Units::Metric).unwrap(), series(&input, Units::Imperial).unwrap());
        assert_eq!((km.unit, mi.unit), ("km", "mi"));
        let ratio = km.routes[0].distance / mi.routes[0].distance;
        assert!((ratio - 1.609_344).abs() < 1e-9, "{ratio}");
        let (ykm, ymi) = (km.routes[0].points[1].1, mi.routes[0].points[1].1);
        assert!((ykm / ymi - 1.609_344).abs() < 1e-9, "{ykm} {ymi}");
        let (a, b) = (render(Kind::RouteMap, &input, Units::Metric), render(Kind::RouteMap, &input, Units::Imperial));
        assert_ne!(a.unwrap().bytes, b.unwrap().bytes, "the axes and legend say mi");
    }

    #[test]
    fn routes_are_drawn_in_their_colours() {
        let png = render(Kind::RouteMap, &testing::input(), Units::Metric).unwrap();
        assert_eq!((png.width, png.height), (1000, 1000));
        let map = (0.05, 0.05, 0.95, 0.95);
        assert!(testing::count_color(&png.bytes, map, (31, 119, 180), 0) > 500, "R1");
        assert!(testing::count_color(&png.bytes, map, (214, 39, 40), 0) > 500, "R2");
    }
}
