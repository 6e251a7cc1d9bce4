//! Shared streaming-XML plumbing for format sniffing and the GPX and TCX
//! parsers: a borrowing reader over the file's bytes, text and number
//! extraction without per-point allocation, timestamps, and skipping of
//! elements we do not read.

mod values;

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::error::ParseError;
pub use values::{number_in, parse_number, parse_time_ms, time_ms_in};

pub type XmlReader<'a> = Reader<&'a [u8]>;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// XML that is not UTF-8, as old tools and some apps write it: UTF-16 (with a
/// byte-order mark, or a declaration whose `<?` is in UTF-16), or a declared
/// legacy encoding such as Windows-1252 (where 0x80 is the euro sign, not a
/// control character) or ISO-8859-x. Transcoded to UTF-8 by `encoding_rs`;
/// valid UTF-8 and undeclared bytes are passed through (broken UTF-8 stays
/// broken: guessing would hide damage).
pub fn to_utf8(bytes: &[u8]) -> Cow<'_, [u8]> {
    let decode = |encoding: &'static Encoding, body: &[u8]| {
        Cow::Owned(encoding.decode_without_bom_handling(body).0.into_owned().into_bytes())
    };
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        // A UTF-8 mark is stripped by `reader`, with nothing to transcode.
        return if encoding == UTF_8 { Cow::Borrowed(bytes) } else { decode(encoding, &bytes[bom_len..]) };
    }
    match bytes {
        [b'<', 0, b'?', 0, ..] => return decode(UTF_16LE, bytes),
        [0, b'<', 0, b'?', ..] => return decode(UTF_16BE, bytes),
        _ => {}
    }
    if std::str::from_utf8(bytes).is_ok() {
        return Cow::Borrowed(bytes);
    }
    match declared_encoding(bytes) {
        Some(encoding) if encoding != UTF_8 => decode(encoding, bytes),
        _ => Cow::Borrowed(bytes),
    }
}

/// The `encoding="..."` of the XML declaration, by its WHATWG label (so
/// `ISO-8859-1` is read as Windows-1252, as browsers do). A declaration that
/// could be read byte by byte cannot truthfully say UTF-16: that yields UTF-8.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(200)];
    let end = head.windows(2).position(|w| w == b"?>")?;
    let declaration = &head[..end];
    let at = declaration.windows(8).position(|w| w == b"encoding")?;
    let rest = &declaration[at + 8..];
    let rest = rest.trim_ascii_start().strip_prefix(b"=")?.trim_ascii_start();
    let (&quote, rest) = rest.split_first()?;
    let label = &rest[..rest.iter().position(|&b| b == quote)?];
    Encoding::for_label(label).map(Encoding::output_encoding)
}

/// A reader that hands out events borrowing from `bytes`. Empty elements are
/// expanded to start+end so every element parser sees the same shape.
pub fn reader(bytes: &[u8]) -> XmlReader<'_> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let mut r = Reader::from_reader(bytes);
    let config = r.config_mut();
    config.expand_empty_elements = true;
    // Not trimmed: trimming around `&amp;` would eat the spaces in "Tom & Jerry".
    r
}

/// The local name (namespace prefix dropped) of an element, so extensions are
/// recognized under any prefix a vendor picked.
pub fn local_name<'e>(e: &'e BytesStart<'_>) -> &'e [u8] {
    local_part(e.name().into_inner().as_bytes())
}

/// A qualified name without its namespace prefix.
pub fn local_part(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

pub fn broken(r: &XmlReader<'_>, err: &quick_xml::Error) -> ParseError {
    ParseError::BrokenXml { detail: format!("{err} near byte {}", r.error_position()) }
}

/// Next event, with quick-xml errors turned into a skip reason.
pub fn next<'a>(r: &mut XmlReader<'a>) -> Result<Event<'a>, ParseError> {
    match r.read_event() {
        Ok(Event::Eof) => Err(ParseError::BrokenXml {
            detail: format!("the file ends inside an element (after {} bytes)", r.buffer_position()),
        }),
        Ok(event) => Ok(event),
        Err(err) => Err(broken(r, &err)),
    }
}

/// Skip the rest of the element whose start was just read.
pub fn skip(r: &mut XmlReader<'_>, start: &BytesStart<'_>) -> Result<(), ParseError> {
    r.read_to_end(start.name()).map(|_| ()).map_err(|err| broken(r, &err))
}

/// Have the reader skip the whitespace between elements (`true`) instead of
/// handing it out as text, in containers whose own text nobody reads:
/// inside a track that is half the events. Returns the previous setting,
/// to put back. [`text`] reads an element's text whole either way.
pub fn skip_blank_text(r: &mut XmlReader<'_>, skip: bool) -> bool {
    std::mem::replace(&mut r.config_mut().trim_text_start, skip)
}

/// The text of the element whose start was just read, entities resolved.
/// Borrowed from the input when there is nothing to resolve.
pub fn text<'a>(r: &mut XmlReader<'a>) -> Result<Cow<'a, str>, ParseError> {
    // Whitespace inside a text (after an entity or a comment) is its own.
    let skipping = skip_blank_text(r, false);
    let text = text_as_is(r);
    skip_blank_text(r, skipping);
    text
}

fn text_as_is<'a>(r: &mut XmlReader<'a>) -> Result<Cow<'a, str>, ParseError> {
    let mut out: Option<Cow<'a, str>> = None;
    loop {
        match next(r)? {
            Event::Text(t) => append(&mut out, t.into_inner()),
            Event::CData(c) => append(&mut out, c.into_inner()),
            Event::GeneralRef(g) => {
                let resolved = match g.resolve_char_ref() {
                    Ok(Some(ch)) => ch.to_string(),
                    _ => predefined_entity(g.as_bytes()).unwrap_or_default().to_owned(),
                };
                append(&mut out, Cow::Owned(resolved));
            }
            Event::Start(e) => skip(r, &e)?,
            Event::End(_) => return Ok(out.unwrap_or(Cow::Borrowed(""))),
            _ => {}
        }
    }
}

fn append<'a>(out: &mut Option<Cow<'a, str>>, piece: Cow<'a, str>) {
    match out {
        None => *out = Some(piece),
        Some(existing) => existing.to_mut().push_str(&piece),
    }
}

fn predefined_entity(name: &[u8]) -> Option<&'static str> {
    Some(match name {
        b"amp" => "&",
        b"lt" => "<",
        b"gt" => ">",
        b"quot" => "\"",
        b"apos" => "'",
        _ => return None,
    })
}

/// The element's text as a finite number, or `None` if empty or not a number.
pub fn number(r: &mut XmlReader<'_>) -> Result<Option<f64>, ParseError> {
    Ok(parse_number(&text(r)?))
}

/// Numeric attributes of `e` (the first of each name; `None` if absent or
/// not a number), found in one walk over its attributes rather than one
/// walk per name. A malformed attribute ends the walk, as it ends a search
/// for one name.
pub fn attr_numbers<const N: usize>(e: &BytesStart<'_>, names: [&str; N]) -> [Option<f64>; N] {
    let mut found: [Option<Option<f64>>; N] = [None; N];
    for attr in e.attributes().with_checks(false) {
        let Ok(attr) = attr else { break };
        for (slot, name) in found.iter_mut().zip(names) {
            if slot.is_none() && attr.key.as_ref() == name {
                *slot = Some(parse_number(&attr.value));
            }
        }
        if found.iter().all(Option::is_some) {
            break;
        }
    }
    found.map(Option::flatten)
}

/// The name of the document's root element, if the bytes are XML.
pub fn root_element(bytes: &[u8]) -> Option<String> {
    let mut r = reader(bytes);
    for _ in 0..64 {
        match r.read_event().ok()? {
            Event::Start(e) => return Some(String::from_utf8_lossy(local_name(&e)).into_owned()),
            Event::Eof => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_element_skips_bom_declaration_and_comments() {
        let doc = b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- hi --><gpx version=\"1.1\"></gpx>";
        assert_eq!(root_element(doc).as_deref(), Some("gpx"));
        assert_eq!(root_element(b"<ns:TrainingCenterDatabase/>").as_deref(), Some("TrainingCenterDatabase"));
        assert_eq!(root_element(b"not xml at all"), None);
    }

    #[test]
    fn utf16_and_declared_latin1_become_utf8() {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><gpx><name>Sentier é</name></gpx>";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(root_element(&to_utf8(&le)).as_deref(), Some("gpx"));
        assert!(String::from_utf8(to_utf8(&le).into_owned()).unwrap().contains("Sentier é"));
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><gpx><name>Sentier \xE9</name></gpx>";
        assert!(String::from_utf8(to_utf8(latin1).into_owned()).unwrap().contains("Sentier é"));
        // Undeclared broken bytes are left for the parser to refuse.
        assert!(matches!(to_utf8(b"<gpx>\xE9</gpx>"), Cow::Borrowed(_)));
    }

    #[test]
    fn windows_1252_euro_sign_and_curly_quotes_are_not_decoded_as_latin1_controls() {
        let doc =
            b"<?xml version='1.0' encoding = \"windows-1252\"?><gpx><name>\x93Caf\xE9\x94 \x80 5\x96k</name></gpx>";
        let utf8 = String::from_utf8(to_utf8(doc).into_owned()).unwrap();
        assert!(utf8.contains("\u{201C}Caf\u{E9}\u{201D} \u{20AC} 5\u{2013}k"), "{utf8}");
        // ISO-8859-1 is read as its superset Windows-1252, as browsers do.
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><gpx><name>\x80</name></gpx>";
        assert!(String::from_utf8(to_utf8(latin1).into_owned()).unwrap().contains('\u{20AC}'));
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_recognized_by_its_declaration() {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><gpx><name>\u{e9}</name></gpx>";
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(to_utf8(&be).as_ref(), text.as_bytes());
        assert_eq!(to_utf8(&le).as_ref(), text.as_bytes());
        // A byte-readable declaration saying UTF-16 is not believed.
        let lying = b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><gpx>\xE9</gpx>";
        assert!(matches!(to_utf8(lying), Cow::Borrowed(_)));
    }

    #[test]
    fn times_with_and_without_offsets() {
        assert_eq!(parse_time_ms("1970-01-01T00:00:01Z"), Some(1000));
        assert_eq!(parse_time_ms("1970-01-01T01:00:01.5+01:00"), Some(1500));
        assert_eq!(parse_time_ms("1970-01-01T00:00:02"), Some(2000));
        assert_eq!(parse_time_ms("yesterday"), None);
    }

    #[test]
    fn text_resolves_entities_and_skips_children() {
        let mut r = reader(b"<name>Tom &amp; Jerry<b>x</b> &#x41;</name>");
        let Ok(Event::Start(_)) = r.read_event() else { panic!() };
        assert_eq!(text(&mut r).unwrap(), "Tom & Jerry A");
    }
}
