//! A lenient XML front end for the dirty files GENIUS accepts (formats.md §1.5):
//! bare `&` (D1), attributes without whitespace between them (D2), comments or a BOM before the
//! XML declaration (D3). The text is repaired without adding lines, so line numbers in errors
//! are those of the original file.

use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::error::LoadError;

/// One element with its attributes, children and the line it starts on.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub line: usize,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Pre-order walk of this element and all its descendants.
    pub fn walk(&self, visit: &mut impl FnMut(&Element)) {
        visit(self);
        for c in &self.children {
            c.walk(visit);
        }
    }

    pub fn place(&self) -> String {
        format!("line {}, <{}>", self.line, self.name)
    }
}

/// What the repair pass changed, for the scenario notes.
#[derive(Debug, Default)]
pub(crate) struct Repairs {
    pub escaped_ampersands: usize,
    pub separated_attributes: usize,
    pub dropped_prolog: bool,
}

pub(crate) fn repair(text: &str) -> (String, Repairs) {
    let mut r = Repairs::default();
    let text = text.trim_start_matches('\u{feff}');
    let mut out = String::with_capacity(text.len() + 16);
    let bytes: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut in_tag = false;
    let mut quote: Option<char> = None;
    while i < bytes.len() {
        let c = bytes[i];
        let rest = |k: usize| bytes.get(i + k).copied();
        if !in_tag && c == '<' && rest(1) == Some('?') {
            // Drop any XML declaration / processing instruction, keeping its newlines.
            let mut j = i;
            while j < bytes.len() && !(bytes[j] == '>' && j > 0 && bytes[j - 1] == '?') {
                if bytes[j] == '\n' {
                    out.push('\n');
                }
                j += 1;
            }
            r.dropped_prolog = true;
            i = j + 1;
            continue;
        }
        if !in_tag && c == '<' && rest(1) == Some('!') {
            // Copy comments / CDATA / doctype verbatim.
            let end = if text_starts(&bytes, i, "<!--") {
                "-->"
            } else {
                ">"
            };
            let mut j = i;
            while j < bytes.len() && !text_starts(&bytes, j, end) {
                out.push(bytes[j]);
                j += 1;
            }
            for k in 0..end.len() {
                if let Some(&ch) = bytes.get(j + k) {
                    out.push(ch);
                }
            }
            i = j + end.len();
            continue;
        }
        if c == '&' && !is_entity(&bytes[i..]) {
            out.push_str("&amp;");
            r.escaped_ampersands += 1;
            i += 1;
            continue;
        }
        if in_tag {
            match quote {
                Some(q) if c == q => {
                    quote = None;
                    out.push(c);
                    if rest(1).is_some_and(|n| n.is_alphabetic() || n == '_') {
                        out.push(' ');
                        r.separated_attributes += 1;
                    }
                    i += 1;
                    continue;
                }
                Some(_) => {}
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c == '>' => in_tag = false,
                None => {}
            }
        } else if c == '<' {
            in_tag = true;
        }
        out.push(c);
        i += 1;
    }
    (out, r)
}

fn text_starts(chars: &[char], at: usize, s: &str) -> bool {
    s.chars()
        .enumerate()
        .all(|(k, c)| chars.get(at + k) == Some(&c))
}

fn is_entity(s: &[char]) -> bool {
    let body: String = s.iter().skip(1).take(12).collect();
    let Some(end) = body.find(';') else {
        return false;
    };
    let name = &body[..end];
    if let Some(num) = name.strip_prefix('#') {
        return match num.strip_prefix('x') {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()),
        };
    }
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Parses repaired XML into an element tree; the root is returned.
pub(crate) fn parse(path: &Path, text: &str) -> Result<(Element, Repairs), LoadError> {
    let (fixed, repairs) = repair(text);
    // Lines are counted incrementally: positions only move forward, so reading stays linear.
    let counted = std::cell::Cell::new((0usize, 1usize));
    let line_of = |pos: usize| {
        let pos = pos.min(fixed.len());
        let (from, line) = counted.get();
        let line = if pos >= from {
            line + bytecount(&fixed.as_bytes()[from..pos])
        } else {
            fixed.as_bytes()[..pos]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1
        };
        if pos >= from {
            counted.set((pos, line));
        }
        line
    };
    let mut reader = Reader::from_str(&fixed);
    reader.config_mut().check_end_names = false;
    reader.config_mut().trim_text(true);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader.read_event().map_err(|e| {
            LoadError::new(path, format!("malformed XML: {e}"))
                .at(format!(
                    "line {}",
                    line_of(reader.buffer_position() as usize)
                ))
                .fix("repair the XML at that line")
        })?;
        // The event's tag starts at the last `<` before the reader's position.
        let end = reader.buffer_position() as usize;
        let pos = fixed.as_bytes()[..end.min(fixed.len())]
            .iter()
            .rposition(|&b| b == b'<')
            .unwrap_or(0);
        match event {
            Event::Start(start) => {
                let el = element(path, &start, line_of(pos))?;
                stack.push(el);
            }
            Event::Empty(start) => {
                let el = element(path, &start, line_of(pos))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => {
                        root.get_or_insert(el);
                    }
                }
            }
            Event::End(_) => {
                let Some(el) = stack.pop() else {
                    return Err(LoadError::new(path, "a closing tag has no opening tag")
                        .at(format!("line {}", line_of(pos))));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => {
                        root.get_or_insert(el);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.first() {
        return Err(
            LoadError::new(path, format!("<{}> is never closed", open.name))
                .at(open.place())
                .fix("close the element or restore the truncated file"),
        );
    }
    let root = root.ok_or_else(|| {
        LoadError::new(path, "no XML element found").fix("is this really an XML scenario file?")
    })?;
    Ok((root, repairs))
}

fn bytecount(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

fn element(path: &Path, start: &BytesStart<'_>, line: usize) -> Result<Element, LoadError> {
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in start.attributes().with_checks(false) {
        let a = a.map_err(|e| {
            LoadError::new(path, format!("bad attribute: {e}")).at(format!("line {line}, <{name}>"))
        })?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .unescape_value()
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_the_known_defects() {
        let dirty = "\u{feff}<!-- profile 1 -->\n<?xml version=\"1.0\"?>\n<a x=\"1\"y=\"AT & T\" z='&amp;'/>";
        let (root, r) = parse(Path::new("t.xml"), dirty).unwrap();
        assert_eq!(root.attr("y"), Some("AT & T"));
        assert_eq!(root.attr("z"), Some("&"));
        assert_eq!(root.line, 3);
        assert_eq!(r.escaped_ampersands, 1);
        assert_eq!(r.separated_attributes, 1);
    }

    #[test]
    fn unclosed_element_names_the_line() {
        let e = parse(Path::new("t.xml"), "<a>\n<b>\n").unwrap_err();
        assert!(e.to_string().contains("t.xml"), "{e}");
    }
}
