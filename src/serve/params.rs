//! The query parameters of a request: percent-decoded, checked against the names an endpoint
//! takes, numbers within their range.

use super::{Fail, fail};

/// The query parameters of a request, decoded.
#[derive(Debug, Default)]
pub(super) struct Params(Vec<(String, String)>);

impl Params {
    pub(super) fn parse(query: &str) -> Result<Params, Fail> {
        let mut out = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            out.push((decode(k)?, decode(v)?));
        }
        Ok(Params(out))
    }

    /// Fails on a parameter not in `known`.
    pub(super) fn only(&self, known: &[&str]) -> Result<(), Fail> {
        match self.0.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            Some((k, _)) => Err(fail(
                400,
                format!(
                    "unknown parameter '{}' (expected {})",
                    k.chars().take(64).collect::<String>(),
                    known.join(", ")
                ),
            )),
            None => Ok(()),
        }
    }

    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn all(&self, key: &str) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn required(&self, key: &str) -> Result<&str, Fail> {
        self.get(key)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| fail(400, format!("missing parameter '{key}'")))
    }

    /// A number in `min..=max`, or `default` when absent.
    pub(super) fn number(
        &self,
        key: &str,
        default: usize,
        min: usize,
        max: usize,
    ) -> Result<usize, Fail> {
        let Some(v) = self.get(key) else {
            return Ok(default);
        };
        match v.parse::<usize>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(fail(
                400,
                format!("parameter '{key}' must be a whole number from {min} to {max}"),
            )),
        }
    }

    pub(super) fn flag(&self, key: &str) -> Result<bool, Fail> {
        match self.get(key) {
            None | Some("0" | "false") => Ok(false),
            Some("" | "1" | "true") => Ok(true),
            Some(_) => Err(fail(400, format!("parameter '{key}' must be 1 or 0"))),
        }
    }
}

/// Percent-decoding (`+` is a space); what is not UTF-8 afterwards is an error.
pub(super) fn decode(s: &str) -> Result<String, Fail> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| fail(400, "malformed percent-encoding in the query"))?;
                out.push(hex);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| fail(400, "the query is not UTF-8"))
}
