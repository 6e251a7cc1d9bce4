//! Strava's bulk export lists every activity in `activities.csv` with the
//! athlete's own name and type for it. The header repeats column names
//! ("Elapsed Time", "Distance" appear twice), so columns are found by their
//! first occurrence, falling back to their classic positions.

use std::collections::HashMap;

/// What `activities.csv` says about one activity file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StravaMeta {
    pub name: Option<String>,
    pub activity_type: Option<String>,
}

/// Classic column positions in Strava's export.
const NAME_COL: usize = 2;
const TYPE_COL: usize = 3;
const FILENAME_COL: usize = 12;

/// Map from the activity file's path (relative to the CSV's folder, `/`
/// separated, as Strava writes it) to its metadata.
pub fn parse_activities_csv(bytes: &[u8]) -> HashMap<String, StravaMeta> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(bytes);
    let Ok(headers) = reader.headers().cloned() else {
        return HashMap::new();
    };
    let column = |title: &str, fallback: usize| headers.iter().position(|h| h.trim() == title).unwrap_or(fallback);
    let (name_col, type_col, file_col) =
        (column("Activity Name", NAME_COL), column("Activity Type", TYPE_COL), column("Filename", FILENAME_COL));
    let non_empty = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    reader
        .records()
        .filter_map(Result::ok)
        .filter_map(|row| {
            let file = non_empty(row.get(file_col))?;
            let meta = StravaMeta { name: non_empty(row.get(name_col)), activity_type: non_empty(row.get(type_col)) };
            Some((file, meta))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_headers_and_quoted_commas() {
        let csv = "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance\n\
                   1,\"Jan 1, 2024, 7:00:00 AM\",\"Easy, slow\",Run,,3600,10.0,150,,false,,,activities/1.fit.gz,,,3600,3500,10000.0\n\
                   2,\"Jan 2, 2024, 7:00:00 AM\",Yoga,Yoga,,1800,0,,,false,,,,,,1800,1800,0\n";
        let map = parse_activities_csv(csv.as_bytes());
        assert_eq!(map.len(), 1);
        let meta = &map["activities/1.fit.gz"];
        assert_eq!(meta.name.as_deref(), Some("Easy, slow"));
        assert_eq!(meta.activity_type.as_deref(), Some("Run"));
    }
}
