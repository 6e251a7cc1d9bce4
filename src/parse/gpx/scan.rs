//! A byte scanner for track points of the plain shape nearly every GPX
//! writer uses (`<trkpt lat=".." lon="..">`, value children, extensions
//! nesting value elements), because going through quick-xml's events was
//! most of the cost of reading a GPX file: about 14,000 instructions a
//! point, where this takes a small fraction of that.
//!
//! It reads a point only when the point is made of nothing but what it
//! knows: ASCII, no entity, comment, CDATA or empty element, attributes
//! `name="value"`, end tags that match. For such a point quick-xml gives
//! the same events and `gpx` makes the same point from them (the two
//! share the per-element rules), and the reader is left as quick-xml would
//! leave it. Anything else returns `None`, and quick-xml reads the point.

use super::{PointChild, extension_value, finished, located, set_extension};
use crate::parse::Point;
use crate::xml::{local_part, number_in};

/// One track point read, and how many bytes it took (with the whitespace
/// before it).
pub(super) struct Scanned {
    pub point: Point,
    pub time_ms: Option<i64>,
    pub len: usize,
}

/// Containers nested deeper than this inside `<extensions>` are left to
/// quick-xml (Garmin's are one deep).
const MAX_DEPTH: usize = 4;

/// The track point at the start of `rest` (after whitespace), if it has
/// the plain shape.
pub(super) fn track_point(rest: &[u8]) -> Option<Scanned> {
    let mut c = Cursor { bytes: rest, at: 0 };
    c.skip_blank();
    c.eat(b"<trkpt")?;
    let [lat, lon] = c.lat_lon()?;
    let mut point = located(lat, lon);
    let mut time_ms = None;
    loop {
        c.skip_blank();
        if c.eat(b"</trkpt>").is_some() {
            break;
        }
        let name = c.start_tag()?;
        match PointChild::of(local_part(name)) {
            PointChild::Extensions => c.extensions(&mut point, name)?,
            child => {
                child.set(&mut point, &mut time_ms, c.text()?);
                c.end_tag(name)?;
            }
        }
    }
    Some(Scanned { point: finished(point), time_ms, len: c.at })
}

/// What a byte may be, one table lookup instead of a chain of compares.
const BLANK: u8 = 1;
const NAME_START: u8 = 2;
const NAME: u8 = 4;
/// Allowed in the text of an element (printable ASCII and whitespace, no `<`
/// or `&`; `<` ends the text) and in a quoted value (also no `>` or `"`).
const TEXT: u8 = 8;
const VALUE: u8 = 16;

const CLASS: [u8; 256] = classes();

#[allow(clippy::cast_possible_truncation)] // b < 256
const fn classes() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let mut k = 0;
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
            k |= BLANK;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            k |= NAME_START;
        }
        if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':') {
            k |= NAME;
        }
        if (matches!(c, b' '..=b'~') || k & BLANK != 0) && c != b'<' && c != b'&' {
            k |= TEXT;
        }
        if matches!(c, b' '..=b'~') && !matches!(c, b'<' | b'>' | b'&' | b'"') {
            k |= VALUE;
        }
        t[b] = k;
        b += 1;
    }
    t
}

/// A position in the bytes; every method moves past what it reads, and
/// `None` means "not the plain shape".
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    /// How many bytes from here are of `class`.
    fn run_of(&self, class: u8) -> usize {
        let rest = &self.bytes[self.at..];
        rest.iter().position(|&b| CLASS[usize::from(b)] & class == 0).unwrap_or(rest.len())
    }

    /// The whitespace quick-xml skips between elements. Indentation is
    /// most of a pretty-printed file's bytes: taken eight spaces at a time.
    fn skip_blank(&mut self) {
        loop {
            if self.bytes.get(self.at..self.at + 8) == Some(b"        ") {
                self.at += 8;
            } else if self.bytes.get(self.at).is_some_and(|&b| CLASS[usize::from(b)] & BLANK != 0) {
                self.at += 1;
            } else {
                return;
            }
        }
    }

    fn eat(&mut self, literal: &[u8]) -> Option<()> {
        self.bytes[self.at..].starts_with(literal).then(|| self.at += literal.len())
    }

    /// A name: a letter or `_`, then letters, digits, `_ - . :`.
    fn name(&mut self) -> Option<&'a [u8]> {
        let first = *self.bytes.get(self.at)?;
        if CLASS[usize::from(first)] & NAME_START == 0 {
            return None;
        }
        let start = self.at;
        self.at += self.run_of(NAME);
        Some(&self.bytes[start..self.at])
    }

    /// `<name>` with no attributes; its name.
    fn start_tag(&mut self) -> Option<&'a [u8]> {
        self.eat(b"<")?;
        let name = self.name()?;
        self.eat(b">")?;
        Some(name)
    }

    /// `</name>` for exactly this name.
    fn end_tag(&mut self, name: &[u8]) -> Option<()> {
        self.eat(b"</")?;
        self.eat(name)?;
        self.eat(b">")
    }

    /// Text up to the next `<`: printable ASCII and whitespace, without
    /// `&` (entities are quick-xml's to resolve, or to refuse).
    fn text(&mut self) -> Option<&'a [u8]> {
        let start = self.at;
        self.at += self.run_of(TEXT);
        (self.bytes.get(self.at) == Some(&b'<')).then(|| &self.bytes[start..self.at])
    }

    /// The attributes of `<trkpt` up to its `>`: the first `lat` and the
    /// first `lon` as numbers, others passed over, as `xml::attr_numbers`
    /// reads them.
    fn lat_lon(&mut self) -> Option<[Option<f64>; 2]> {
        let mut found: [Option<Option<f64>>; 2] = [None, None];
        loop {
            let before = self.at;
            self.skip_blank();
            if self.eat(b">").is_some() {
                return Some(found.map(Option::flatten));
            }
            // An attribute needs whitespace before it (else the name ran on).
            if self.at == before {
                return None;
            }
            let key = self.name()?;
            self.eat(b"=\"")?;
            let value = self.attribute_value()?;
            let slot = match key {
                b"lat" => &mut found[0],
                b"lon" => &mut found[1],
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(number_in(value));
            }
        }
    }

    /// A double-quoted value after its opening quote, and the closing quote:
    /// printable ASCII without `<`, `>` or `&`.
    fn attribute_value(&mut self) -> Option<&'a [u8]> {
        let start = self.at;
        self.at += self.run_of(VALUE);
        let value = &self.bytes[start..self.at];
        self.eat(b"\"")?;
        Some(value)
    }

    /// The body of the `<extensions>` element named `own`, and its end tag:
    /// value elements set the point's fields, containers are looked into,
    /// as `gpx::parse_extensions` does.
    fn extensions(&mut self, point: &mut Point, own: &[u8]) -> Option<()> {
        let mut open: [&[u8]; MAX_DEPTH] = [&[]; MAX_DEPTH];
        let mut depth = 0;
        loop {
            self.skip_blank();
            if self.bytes[self.at..].starts_with(b"</") {
                let name = if depth == 0 { own } else { open[depth - 1] };
                self.end_tag(name)?;
                if depth == 0 {
                    return Some(());
                }
                depth -= 1;
                continue;
            }
            let name = self.start_tag()?;
            match extension_value(point, local_part(name)) {
                Some(slot) => {
                    set_extension(slot, self.text()?);
                    self.end_tag(name)?;
                }
                None if depth < MAX_DEPTH => {
                    open[depth] = name;
                    depth += 1;
                }
                None => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_with;

    /// Both readers' result, printed (NaN compares unequal; its text does not).
    fn both(doc: &[u8]) -> (String, String) {
        (format!("{:?}", parse_with(doc, true)), format!("{:?}", parse_with(doc, false)))
    }

    fn assert_agree(doc: &[u8]) {
        let (scanned, evented) = both(doc);
        assert_eq!(scanned, evented, "on {}", String::from_utf8_lossy(doc));
    }

    /// Points of many shapes, each after a first point quick-xml reads (the
    /// scanner starts after it) and before one more.
    const SHAPES: &[&str] = &[
        r#"<trkpt lat="46.5" lon="6.6"><ele>372.4</ele><time>2024-03-01T07:00:05Z</time><extensions><ns3:TrackPointExtension><ns3:hr>141</ns3:hr><ns3:cad>86</ns3:cad></ns3:TrackPointExtension></extensions></trkpt>"#,
        "<trkpt\tlat=\"1.5\"\r\n  lon=\"-2.25\" >\r\n<ele> 12 </ele>\n<time>2024-03-01T07:00:05.250+01:00</time></trkpt>",
        r#"<trkpt lon="6.6" lat="46.5" lat="1" src="x"><time>2024-03-01T07:00:05Z</time><hdop>1.2</hdop><sat>7</sat></trkpt>"#,
        r#"<trkpt lat="91" lon="6.6"><time>2024-03-01T07:00:05Z</time><speed>3.1</speed><speed>x</speed></trkpt>"#,
        r#"<trkpt lat="46.5"><time>2024-03-01T07:00:05Z</time><ele></ele></trkpt>"#,
        r"<trkpt><time>2024-03-01T07:00:05Z</time></trkpt>",
        r#"<trkpt lat="1" lon="2"><ele>5</ele></trkpt>"#,
        r#"<trkpt lat="1" lon="2"><time>yesterday</time></trkpt>"#,
        r#"<trkpt lat="1" lon="2"><time>2024-03-01T07:00:05Z</time><extensions><gpxdata:hr>150</gpxdata:hr><Power>250</Power><x><y><z><HeartRateBpm>99</HeartRateBpm></z></y></x><hr>abc</hr><distance>12.5</distance></extensions></trkpt>"#,
        r#"<trkpt lat="1" lon="2"><time>2024-03-01T07:00:05Z</time><extensions><a><b><c><d><e><hr>1</hr></e></d></c></b></a></extensions></trkpt>"#,
        r#"<trkpt lat="1" lon="2"><time>2024-03-01T07:00:05Z</time><extensions><hr xmlns="x">150</hr></extensions></trkpt>"#,
        r#"<trkpt lat="1" lon="2"><time>2024-03-01T07:00:05Z</time><extensions/></trkpt>"#,
        r#"<trkpt lat="1" lon="2"><time>2024-03-01T07:00:05Z</time><!-- c --><ele>4</ele></trkpt>"#,
        r#"<trkpt lat="1" lon="2"><time>2024-03-01T07:00:05Z</time><ele>&#52;</ele><name>A &amp; B</name></trkpt>"#,
        r#"<trkpt lat="1" lon="2"><time>2024-03-01T07:00:05Z</time><ele><![CDATA[7]]></ele></trkpt>"#,
        r"<trkpt lat='1' lon='2'><time>2024-03-01T07:00:05Z</time></trkpt>",
        r#"<trkpt lat = "1" lon="2"><time>2024-03-01T07:00:05Z</time></trkpt>"#,
        r#"<trkpt lat="&#49;" lon="2"><time>2024-03-01T07:00:05Z</time></trkpt>"#,
        r#"<trkpt lat="1" lon="2"/>"#,
        r#"<gpx:trkpt lat="1" lon="2"><gpx:time>2024-03-01T07:00:05Z</gpx:time></gpx:trkpt>"#,
        r#"<trkpt lat="1" lon="2"><time>2024-03-01T07:00:05Z</time>stray text<ele>3</ele></trkpt>"#,
        r#"<trkpt lat="1" lon="2"><time>2024-03-01T07:00:05Z</time><ele>3</ele ></trkpt >"#,
        "<trkpt lat=\"1\" lon=\"2\"><time>2024-03-01T07:00:05Z</time><name>Caf\u{e9}</name></trkpt>",
        r#"<trkpt lat="1" lon="2"><time>2024-03-01T07:00:05Z</time><ele>3</Ele></trkpt>"#,
        r#"<trkpt lat="1" lon="2"><time>2024-03-01T07:00:05Z</time><extensions><hr>1</hr></extension></trkpt>"#,
        r#"<trkpt lat="1" lon="2"><time>2024-03-01T07:00:05Z</time></trkseg>"#,
        r#"<rtept lat="1" lon="2"/><trkpt lat="1" lon="2"><time>2024-03-01T07:00:05Z</time></trkpt>"#,
    ];

    fn document(middle: &str) -> String {
        let point = |s: u32| format!(r#"<trkpt lat="46.5" lon="6.6"><time>2024-03-01T07:00:0{s}Z</time></trkpt>"#);
        format!(
            "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\"><trk><trkseg>\n  {}\n  {middle}\n  {}\n</trkseg></trk></gpx>",
            point(1),
            point(9)
        )
    }

    #[test]
    fn the_scanner_and_quick_xml_read_every_shape_of_point_alike() {
        for shape in SHAPES {
            assert_agree(document(shape).as_bytes());
        }
        // The plain shape is read by the scanner, not handed back.
        assert!(super::track_point(SHAPES[0].as_bytes()).is_some());
        assert!(super::track_point(SHAPES[12].as_bytes()).is_none(), "a comment is quick-xml's");
    }

    /// Every byte of a document deleted, replaced or preceded by one of the
    /// bytes that matter to XML: both readers give the same activity or the
    /// same error (with the same position), whatever the damage.
    #[test]
    fn the_scanner_and_quick_xml_agree_on_every_one_byte_damage() {
        let doc = document(&SHAPES[..3].concat()).into_bytes();
        let bytes: &[u8] = b"<>/&\"' =x:1.-\r\xC3";
        for at in 0..doc.len() {
            let mut deleted = doc.clone();
            deleted.remove(at);
            assert_agree(&deleted);
            for &b in bytes {
                let mut replaced = doc.clone();
                replaced[at] = b;
                assert_agree(&replaced);
                let mut inserted = doc.clone();
                inserted.insert(at, b);
                assert_agree(&inserted);
            }
        }
    }

    /// The real GPX files (`RUNLENS_REALDATA`), from every writer there.
    #[test]
    fn the_scanner_and_quick_xml_agree_on_the_real_gpx_files() {
        let Some(dir) = std::env::var_os("RUNLENS_REALDATA").map(std::path::PathBuf::from) else {
            let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
            assert!(!ci, "CI is set but RUNLENS_REALDATA is not: the real GPX files must be checked");
            eprintln!("skipped: set RUNLENS_REALDATA to the real-data folder to run this test");
            return;
        };
        let mut files = 0;
        for entry in std::fs::read_dir(dir.join("gpx")).expect("the real-data folder has gpx/") {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read");
            let (scanned, evented) = both(&crate::xml::to_utf8(&bytes));
            assert_eq!(scanned, evented, "{}", path.display());
            files += 1;
        }
        assert!(files > 10, "{files} files");
    }
}
