//! What the XML formats ([`graphml`](super::graphml), [`gexf`](super::gexf)) share: making any string
//! storable in XML 1.0, and a writer set up the same way for both.
//!
//! XML 1.0 cannot hold every character, not even as a character reference: of the C0 controls only
//! tab, newline and carriage return are allowed, and U+FFFE and U+FFFF are not characters at all.
//! [`xml_safe`] replaces each of those with U+FFFD REPLACEMENT CHARACTER, one for one, so the result
//! is deterministic and keeps its length in characters. Everything else is kept and escaped by
//! quick-xml: `<`, `>`, `&`, `'`, `"` always; in attribute values also tab, newline and carriage
//! return (as `&#9;`, `&#10;`, `&#13;`, which XML readers give back as they were); in text, carriage
//! return (`&#13;`).

use std::borrow::Cow;
use std::io::Write;

use quick_xml::Writer;

/// True for the characters XML 1.0 allows (`Char` in the XML 1.0 grammar).
///
/// ```
/// use entgraph::export::xml::is_xml_char;
/// assert!(is_xml_char('\t') && is_xml_char('\n') && is_xml_char('é') && is_xml_char('\u{1F3AC}'));
/// assert!(!is_xml_char('\u{1}') && !is_xml_char('\u{1B}') && !is_xml_char('\u{FFFE}'));
/// ```
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The string with every character XML 1.0 cannot hold replaced by U+FFFD (borrowed when there is
/// none, which is the usual case).
///
/// ```
/// use entgraph::export::xml::xml_safe;
/// assert_eq!(xml_safe("a\u{1}b\tc"), "a\u{FFFD}b\tc");
/// assert!(matches!(xml_safe("Tom <Cruise> & co"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn xml_safe(s: &str) -> Cow<'_, str> {
    if s.chars().all(is_xml_char) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(
            s.chars()
                .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
                .collect(),
        )
    }
}

/// A quick-xml writer indenting by two spaces.
pub(crate) fn writer(out: &mut dyn Write) -> Writer<&mut dyn Write> {
    Writer::new_with_indent(out, b' ', 2)
}

/// Ends the document with a newline.
pub(crate) fn finish(w: Writer<&mut dyn Write>) -> std::io::Result<()> {
    w.into_inner().write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_safe_cases() {
        for (name, input, want) in [
            ("plain", "Tom Cruise", "Tom Cruise"),
            (
                "markup is kept for the writer to escape",
                "<a & \"b\">",
                "<a & \"b\">",
            ),
            ("tab newline cr kept", "a\tb\nc\rd", "a\tb\nc\rd"),
            (
                "c0 controls replaced",
                "\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}",
                "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}",
            ),
            ("del and c1 are allowed", "\u{7f}\u{85}", "\u{7f}\u{85}"),
            (
                "non-characters replaced",
                "\u{FFFE}\u{FFFF}",
                "\u{FFFD}\u{FFFD}",
            ),
            (
                "rtl mark and emoji kept",
                "\u{5d3}\u{200f}\u{1F3AC}",
                "\u{5d3}\u{200f}\u{1F3AC}",
            ),
        ] {
            assert_eq!(xml_safe(input), want, "{name}");
        }
    }
}
