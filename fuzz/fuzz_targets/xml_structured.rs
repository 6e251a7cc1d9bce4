//! Structure-aware XML: libFuzzer mutates an `arbitrary`-derived document
//! (GPX or TCX) that is rendered with what byte-level mutation rarely
//! builds: nesting up to 100,000 deep (in extensions, in TCX multisport
//! sessions, beside points), BOMs and declared encodings (UTF-16 with and
//! without a mark, Windows-1252, lying declarations), entities, character
//! references, CDATA, comments, a DOCTYPE and namespace prefixes, then
//! optionally damaged. Parsed by `parse_bytes` alone (no analysis).
//!
//! Beyond "never panic, never overflow the stack": an undamaged, honestly
//! encoded document with at least one well-timed point must parse, and
//! every point it holds must come back as a sample or as a dropped point.
#![no_main]

use std::fmt::Write as _;

use encoding_rs::WINDOWS_1252;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Doc {
    tcx: bool,
    encoding: Enc,
    declaration: Decl,
    doctype: Option<Vec<(Word, Vec<Piece>)>>,
    prefix: Option<Prefix>,
    name: Vec<Piece>,
    tracks: Vec<Track>,
    damage: Option<Damage>,
    /// Which nest, counted in document order, nests `DEEP_LEVELS` deep.
    deep_at: u16,
}

#[derive(Arbitrary, Debug, Clone, Copy, PartialEq)]
enum Enc {
    Utf8,
    Utf8Bom,
    Utf16LeBom,
    Utf16BeBom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

#[derive(Arbitrary, Debug)]
enum Decl {
    None,
    /// The label that matches the bytes.
    Honest,
    /// Any label at all, true or not.
    Label(Label),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Label {
    Utf8,
    Utf16,
    Latin1,
    Windows1252,
    ShiftJis,
    Iso2022Kr,
    Bogus,
}

impl Label {
    fn as_str(self) -> &'static str {
        match self {
            Label::Utf8 => "UTF-8",
            Label::Utf16 => "UTF-16",
            Label::Latin1 => "ISO-8859-1",
            Label::Windows1252 => "windows-1252",
            Label::ShiftJis => "Shift_JIS",
            Label::Iso2022Kr => "ISO-2022-KR",
            Label::Bogus => "x-made-up",
        }
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Prefix {
    Ns3,
    Gpxtpx,
    Long,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Word {
    A,
    Foo,
    Amp,
    Lt,
}

impl Word {
    fn as_str(self) -> &'static str {
        match self {
            Word::A => "a",
            Word::Foo => "foo",
            Word::Amp => "amp",
            Word::Lt => "lt",
        }
    }
}

/// One piece of text content.
#[derive(Arbitrary, Debug)]
enum Piece {
    Text(String),
    Entity(Word),
    CharRef(u32),
    HexRef(u32),
    CData(String),
    Comment(String),
    Element(Word, String),
}

#[derive(Arbitrary, Debug)]
struct Track {
    sport: Vec<Piece>,
    /// TCX: `<MultiSportSession><FirstSport>` pairs around the activity.
    multisport: Depth,
    /// An unknown subtree beside the points.
    beside: Nest,
    points: Vec<Pt>,
}

#[derive(Arbitrary, Debug)]
struct Pt {
    lat: Num,
    lon: Num,
    time: Time,
    hr: Num,
    /// Unknown containers the sensor values sit in.
    extensions: Nest,
    /// An unknown subtree beside the point's children.
    beside: Nest,
}

#[derive(Arbitrary, Debug)]
struct Nest {
    name: NestName,
    depth: Depth,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum NestName {
    Unknown,
    Extensions,
    TrackPointExtension,
    Tpx,
    Activities,
}

impl NestName {
    fn as_str(self) -> &'static str {
        match self {
            NestName::Unknown => "v",
            NestName::Extensions => "extensions",
            NestName::TrackPointExtension => "TrackPointExtension",
            NestName::Tpx => "TPX",
            NestName::Activities => "Activities",
        }
    }
}

/// Up to 255 levels; the one nest `Doc::deep_at` picks goes 100,000 deep
/// (see `deep_nest`).
#[derive(Arbitrary, Debug, Clone, Copy)]
struct Depth(u8);

const DEEP_LEVELS: usize = 100_000;

/// Which nest goes 100,000 deep, if any: the low byte of `deep_at` when its
/// top four bits are all set (one value in sixteen), else none.
fn deep_nest(deep_at: u16) -> usize {
    if deep_at >> 12 == 0xF { usize::from(deep_at & 0xFF) } else { 0 }
}

#[derive(Arbitrary, Debug)]
enum Num {
    Absent,
    Int(i32),
    Float(f64),
    Text(Vec<Piece>),
}

#[derive(Arbitrary, Debug)]
enum Time {
    /// Seconds after 2024-03-01T06:00:00Z, written in one of several styles.
    Valid(u16, TimeStyle),
    /// Never a time: starts with a letter.
    Garbage(Vec<Piece>),
    Absent,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum TimeStyle {
    Zulu,
    Fraction,
    Offset,
    Naive,
    Cdata,
    CommentInside,
    CharRefDigit,
    Padded,
}

#[derive(Arbitrary, Debug)]
enum Damage {
    Truncate(u32),
    Insert(u32, Vec<u8>),
    Flip(u32, u8),
}

struct Out {
    xml: String,
    prefix: &'static str,
    /// Points in tracks that have at least one well-timed point.
    expected_points: usize,
    /// Nests rendered so far, and the one to make deep.
    nests: usize,
    deep_at: usize,
}

impl Out {
    fn open(&mut self, name: &str) {
        write!(self.xml, "<{}{name}>", self.prefix).unwrap();
    }
    fn close(&mut self, name: &str) {
        write!(self.xml, "</{}{name}>", self.prefix).unwrap();
    }
    fn element(&mut self, name: &str, pieces: &[Piece]) {
        self.open(name);
        pieces_into(&mut self.xml, pieces);
        self.close(name);
    }
    fn levels(&mut self, depth: Depth) -> usize {
        self.nests += 1;
        if self.nests == self.deep_at { DEEP_LEVELS } else { usize::from(depth.0) }
    }
    fn nest(&mut self, nest: &Nest, inner: impl FnOnce(&mut Out)) {
        let name = nest.name.as_str();
        let levels = self.levels(nest.depth);
        for _ in 0..levels {
            self.open(name);
        }
        inner(self);
        for _ in 0..levels {
            self.close(name);
        }
    }
}

fn sanitize(s: &str, forbidden: &[&str]) -> String {
    let mut s = s.replace(['<', '&', '"', '\0'], " ");
    for f in forbidden {
        s = s.replace(f, " ");
    }
    s
}

fn pieces_into(xml: &mut String, pieces: &[Piece]) {
    for piece in pieces {
        match piece {
            Piece::Text(t) => xml.push_str(&sanitize(t, &["]]>"])),
            Piece::Entity(w) => write!(xml, "&{};", w.as_str()).unwrap(),
            Piece::CharRef(c) => write!(xml, "&#{c};").unwrap(),
            Piece::HexRef(c) => write!(xml, "&#x{c:X};").unwrap(),
            Piece::CData(t) => write!(xml, "<![CDATA[{}]]>", sanitize(t, &["]]>"])).unwrap(),
            Piece::Comment(t) => write!(xml, "<!--{}-->", sanitize(t, &["--"]).trim_end_matches('-')).unwrap(),
            Piece::Element(w, t) => write!(xml, "<{0}>{1}</{0}>", w.as_str(), sanitize(t, &["]]>"])).unwrap(),
        }
    }
}

fn num_into(xml: &mut String, n: &Num) {
    match n {
        Num::Absent => {}
        Num::Int(v) => write!(xml, "{v}").unwrap(),
        Num::Float(v) => write!(xml, "{v}").unwrap(),
        Num::Text(p) => pieces_into(xml, p),
    }
}

fn attr(n: &Num) -> String {
    let mut s = String::new();
    num_into(&mut s, n);
    sanitize(&s, &["'"])
}

fn time_into(xml: &mut String, secs: u16, style: TimeStyle) {
    let t = 6 * 3600 + u32::from(secs);
    let (day, h, m, s) = (1 + t / 86_400, t / 3600 % 24, t / 60 % 60, t % 60);
    let date = format!("2024-03-{day:02}");
    match style {
        TimeStyle::Zulu => write!(xml, "{date}T{h:02}:{m:02}:{s:02}Z"),
        TimeStyle::Fraction => write!(xml, "{date}T{h:02}:{m:02}:{s:02}.250Z"),
        TimeStyle::Offset => write!(xml, "{date}T{h:02}:{m:02}:{s:02}+02:00"),
        TimeStyle::Naive => write!(xml, "{date}T{h:02}:{m:02}:{s:02}"),
        TimeStyle::Cdata => write!(xml, "<![CDATA[{date}T{h:02}:{m:02}:{s:02}Z]]>"),
        TimeStyle::CommentInside => write!(xml, "{date}<!-- x -->T{h:02}:{m:02}:{s:02}Z"),
        TimeStyle::CharRefDigit => write!(xml, "&#50;{}T{h:02}:{m:02}:{s:02}Z", &date[1..]),
        TimeStyle::Padded => write!(xml, "\n  {date}T{h:02}:{m:02}:{s:02}Z \t"),
    }
    .unwrap();
}

fn point_into(out: &mut Out, tcx: bool, p: &Pt) {
    let (hr_tag, ext_tag) = if tcx { ("Speed", "Extensions") } else { ("hr", "extensions") };
    if tcx {
        out.open("Trackpoint");
    } else {
        let pre = out.prefix;
        write!(out.xml, "<{pre}trkpt lat=\"{}\" lon='{}'>", attr(&p.lat), attr(&p.lon)).unwrap();
    }
    let time_tag = if tcx { "Time" } else { "time" };
    match &p.time {
        Time::Valid(secs, style) => {
            out.open(time_tag);
            time_into(&mut out.xml, *secs, *style);
            out.close(time_tag);
        }
        Time::Garbage(pieces) => {
            out.open(time_tag);
            out.xml.push('x');
            pieces_into(&mut out.xml, pieces);
            out.close(time_tag);
        }
        Time::Absent => {}
    }
    if tcx {
        out.open("Position");
        for (tag, n) in [("LatitudeDegrees", &p.lat), ("LongitudeDegrees", &p.lon)] {
            out.open(tag);
            num_into(&mut out.xml, n);
            out.close(tag);
        }
        out.close("Position");
    }
    out.nest(&p.beside, |_| {});
    out.open(ext_tag);
    out.nest(&p.extensions, |out| {
        out.open(hr_tag);
        num_into(&mut out.xml, &p.hr);
        out.close(hr_tag);
    });
    out.close(ext_tag);
    out.close(if tcx { "Trackpoint" } else { "trkpt" });
}

fn track_into(out: &mut Out, tcx: bool, t: &Track) {
    if t.points.iter().any(|p| matches!(p.time, Time::Valid(..))) || !tcx {
        out.expected_points += t.points.len();
    }
    if tcx {
        let levels = out.levels(t.multisport);
        for _ in 0..levels {
            out.open("MultiSportSession");
            out.open("FirstSport");
        }
        let mut sport = String::new();
        pieces_into(&mut sport, &t.sport);
        write!(out.xml, "<{}Activity Sport=\"{}\">", out.prefix, sanitize(&sport, &[])).unwrap();
        out.open("Lap");
        out.open("Track");
        out.nest(&t.beside, |_| {});
        t.points.iter().for_each(|p| point_into(out, true, p));
        out.close("Track");
        out.close("Lap");
        out.close("Activity");
        for _ in 0..levels {
            out.close("FirstSport");
            out.close("MultiSportSession");
        }
    } else {
        out.open("trk");
        out.element("type", &t.sport);
        out.open("trkseg");
        out.nest(&t.beside, |_| {});
        t.points.iter().for_each(|p| point_into(out, false, p));
        out.close("trkseg");
        out.close("trk");
    }
}

impl Doc {
    fn honest_label(&self) -> &'static str {
        match self.encoding {
            Enc::Utf8 | Enc::Utf8Bom => "UTF-8",
            Enc::Utf16LeBom | Enc::Utf16BeBom | Enc::Utf16Le | Enc::Utf16Be => "UTF-16",
            Enc::Windows1252 => "windows-1252",
        }
    }

    /// Well-formed in the encoding it says (or that its BOM says).
    fn is_honest(&self) -> bool {
        match (&self.declaration, self.encoding) {
            (Decl::Honest, _) => true,
            (Decl::None, Enc::Utf8 | Enc::Utf8Bom | Enc::Utf16LeBom | Enc::Utf16BeBom) => true,
            _ => false,
        }
    }

    fn render(&self) -> (Vec<u8>, usize) {
        let prefix = match self.prefix {
            None => "",
            Some(Prefix::Ns3) => "ns3:",
            Some(Prefix::Gpxtpx) => "gpxtpx:",
            Some(Prefix::Long) => "a-very-long-vendor-prefix:",
        };
        let mut out =
            // One document in sixteen has a 100,000-deep nest: a deep nest
            // costs milliseconds to write and read, and the code it reaches
            // is the same depth counting a 255-level nest walks.
            Out { xml: String::new(), prefix, expected_points: 0, nests: 0, deep_at: deep_nest(self.deep_at) };
        match &self.declaration {
            Decl::None => {}
            Decl::Honest => write!(out.xml, "<?xml version=\"1.0\" encoding=\"{}\"?>", self.honest_label()).unwrap(),
            Decl::Label(l) => write!(out.xml, "<?xml version='1.0' encoding='{}' ?>", l.as_str()).unwrap(),
        }
        let root = if self.tcx { "TrainingCenterDatabase" } else { "gpx" };
        if let Some(entities) = &self.doctype {
            write!(out.xml, "\n<!DOCTYPE {root} [").unwrap();
            for (w, value) in entities {
                let mut v = String::new();
                pieces_into(&mut v, value);
                write!(out.xml, "<!ENTITY {} \"{}\">", w.as_str(), sanitize(&v, &["]", ">"])).unwrap();
            }
            out.xml.push_str("]>");
        }
        let pre = out.prefix;
        write!(out.xml, "\n<{pre}{root} xmlns=\"urn:x\" xmlns:ns3=\"urn:y\">").unwrap();
        if self.tcx {
            out.open("Activities");
            self.tracks.iter().for_each(|t| track_into(&mut out, true, t));
            out.close("Activities");
        } else {
            out.open("metadata");
            out.element("name", &self.name);
            out.close("metadata");
            self.tracks.iter().for_each(|t| track_into(&mut out, false, t));
        }
        out.close(root);
        let bytes = encode(&out.xml, self.encoding);
        (bytes, out.expected_points)
    }
}

fn encode(xml: &str, enc: Enc) -> Vec<u8> {
    let utf16 = |bom: &[u8], le: bool| {
        let mut b = bom.to_vec();
        b.extend(xml.encode_utf16().flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() }));
        b
    };
    match enc {
        Enc::Utf8 => xml.as_bytes().to_vec(),
        Enc::Utf8Bom => [b"\xEF\xBB\xBF", xml.as_bytes()].concat(),
        Enc::Utf16LeBom => utf16(b"\xFF\xFE", true),
        Enc::Utf16BeBom => utf16(b"\xFE\xFF", false),
        Enc::Utf16Le => utf16(b"", true),
        Enc::Utf16Be => utf16(b"", false),
        Enc::Windows1252 => WINDOWS_1252.encode(xml).0.into_owned(),
    }
}

fn damage(bytes: &mut Vec<u8>, d: &Damage) {
    let at = |i: u32, len: usize| usize::try_from(i).unwrap_or(0) % (len + 1);
    match d {
        Damage::Truncate(i) => bytes.truncate(at(*i, bytes.len())),
        Damage::Insert(i, junk) => {
            let i = at(*i, bytes.len());
            bytes.splice(i..i, junk.iter().copied());
        }
        Damage::Flip(i, mask) => {
            if !bytes.is_empty() {
                let i = at(*i, bytes.len() - 1);
                bytes[i] ^= mask;
            }
        }
    }
}

fuzz_target!(|doc: Doc| {
    let (mut bytes, expected_points) = doc.render();
    let name = if doc.tcx { "fuzz.tcx" } else { "fuzz.gpx" };
    if let Some(d) = &doc.damage {
        damage(&mut bytes, d);
        let _ = runlens::parse::parse_bytes(name, &bytes);
        return;
    }
    let parsed = runlens::parse::parse_bytes(name, &bytes);
    let well_timed = doc.tracks.iter().flat_map(|t| &t.points).any(|p| matches!(p.time, Time::Valid(..)));
    if doc.is_honest() && well_timed {
        let activities = parsed.unwrap_or_else(|e| panic!("an honest document was refused: {e}"));
        let got: usize = activities.iter().map(|a| a.samples.len() + a.meta.dropped_points).sum();
        assert_eq!(got, expected_points, "points lost or invented");
    }
});
