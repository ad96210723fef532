//! Accuracy: scores predicted mentions against gold annotations with the matching rules of
//! `shared/eval/score.py`, so a dictionary or rule change is measured in one command.
//!
//! Gold: one JSON file per document, `{"doc": "<file name>", "entities": [{"name", "type",
//! "aliases": [...], "optional": bool}]}`. Strings are compared after [`norm`]: case-folded, curly
//! quotes and dashes folded to ASCII, whitespace collapsed, a trailing possessive `'s` (or a bare
//! trailing apostrophe) and a leading "the " dropped. A gold entity is found when a predicted
//! mention's text or canonical name equals its name or an alias. Predicted entities are grouped by
//! canonical name; one matching no gold entity is a false positive, one matching an optional
//! entity is ignored. Typed scores also require the type to match.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};

/// A gold entity.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldEntity {
    /// Its name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Surface forms.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Not scored either way.
    #[serde(default)]
    pub optional: bool,
}

/// Gold annotations of one document.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldDoc {
    /// Document file name.
    pub doc: String,
    /// Its entities.
    pub entities: Vec<GoldEntity>,
}

/// A prediction: what `mentions.jsonl` holds, reduced to what scoring needs.
#[derive(Debug, Clone)]
pub struct Prediction {
    /// Surface text.
    pub text: String,
    /// Canonical name.
    pub entity: String,
    /// Type.
    pub kind: String,
}

/// Normalizes a name for matching, as `score.py` does.
///
/// ```
/// use entgraph::eval::norm;
/// assert_eq!(norm("The  Tom Cruise\u{2019}s"), "tom cruise");
/// assert_eq!(norm("Mission: Impossible \u{2013} Fallout"), "mission: impossible - fallout");
/// ```
pub fn norm(s: &str) -> String {
    let folded: String =
        s.chars()
            .map(|c| match c {
                '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{00b4}'
                | '`' => '\'',
                '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{00ab}'
                | '\u{00bb}' => '"',
                '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => '-',
                c => c,
            })
            .flat_map(char::to_lowercase)
            .collect();
    let mut s = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(x) = s.strip_suffix("'s") {
        s = x.trim_end().to_string();
    } else if let Some(x) = s.strip_suffix('\'') {
        s = x.trim_end().to_string();
    }
    if let Some(x) = s.strip_prefix("the ") {
        s = x.trim_start().to_string();
    }
    s
}

/// Maps type synonyms to the four scored types.
pub fn norm_type(t: &str) -> String {
    let t = t.trim().to_lowercase();
    match t.as_str() {
        "per" | "persons" | "people" => "person".into(),
        "movie" | "films" | "franchise" => "film".into(),
        "loc" | "location" | "gpe" | "places" => "place".into(),
        "org" | "organisation" | "organizations" => "organization".into(),
        _ => t,
    }
}

/// The document key: file name without directories and extension.
pub fn doc_key(name: &str) -> String {
    let base = name.replace('\\', "/");
    let base = base.rsplit('/').next().unwrap_or(&base).to_string();
    match base.rfind('.') {
        Some(i) if i > 0 => base[..i].to_string(),
        _ => base,
    }
}

/// Loads every `*.json` gold file of a directory, keyed by [`doc_key`].
pub fn load_gold(dir: &Path) -> Result<BTreeMap<String, GoldDoc>> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files: Vec<_> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut gold = BTreeMap::new();
    for f in files {
        let bytes = std::fs::read(&f).map_err(|e| Error::io(&f, e))?;
        let g: GoldDoc = serde_json::from_slice(&bytes).map_err(|e| Error::Graph {
            path: f.clone(),
            message: format!("not a gold file: {e}"),
        })?;
        gold.insert(doc_key(&g.doc), g);
    }
    if gold.is_empty() {
        return Err(Error::Invalid(format!(
            "{}: no gold .json files",
            dir.display()
        )));
    }
    Ok(gold)
}

/// Scores of one document (or a sum of documents).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Required gold entities.
    pub gold: usize,
    /// Predicted entities.
    pub predicted: usize,
    /// Gold entities found.
    pub tp: usize,
    /// Predicted entities matching no gold entity.
    pub fp: usize,
    /// Gold entities found with the right type.
    pub typed_tp: usize,
    /// Predicted (entity, type) groups matching no gold entity of that type.
    pub typed_fp: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.tp += o.tp;
        self.fp += o.fp;
        self.typed_tp += o.typed_tp;
        self.typed_fp += o.typed_fp;
    }
    /// (precision, recall, F1), untyped.
    pub fn prf(&self) -> (f64, f64, f64) {
        prf(self.tp, self.fp, self.gold)
    }
    /// (precision, recall, F1), typed.
    pub fn typed_prf(&self) -> (f64, f64, f64) {
        prf(self.typed_tp, self.typed_fp, self.gold)
    }
}

fn prf(tp: usize, fp: usize, gold: usize) -> (f64, f64, f64) {
    let p = if tp + fp > 0 {
        tp as f64 / (tp + fp) as f64
    } else if gold == 0 {
        1.0
    } else {
        0.0
    };
    let r = if gold > 0 {
        tp as f64 / gold as f64
    } else {
        1.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// The score of one document, with what went wrong.
#[derive(Debug, Clone, Default)]
pub struct DocScore {
    /// Gold document name.
    pub doc: String,
    /// Counts.
    pub counts: Counts,
    /// Required gold entities not found.
    pub missed: Vec<GoldName>,
    /// Predicted entities that match no gold entity.
    pub false_positives: Vec<FalsePositive>,
    /// Gold entities found but never with the right type (the gold type).
    pub wrong_type: Vec<GoldName>,
}

/// A gold entity named in a report: its name and gold type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldName {
    /// The gold name.
    pub name: String,
    /// The gold type.
    pub kind: String,
}

/// A predicted entity that matches no gold entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FalsePositive {
    /// The predicted entity (its canonical name).
    pub entity: String,
    /// The types it was predicted with.
    pub types: Vec<String>,
    /// The texts it was found as.
    pub texts: Vec<String>,
}

/// Scores one document's predictions against its gold entities.
pub fn score_doc(gold: &GoldDoc, preds: &[Prediction]) -> DocScore {
    let forms = |g: &GoldEntity| -> BTreeSet<String> {
        std::iter::once(&g.name)
            .chain(&g.aliases)
            .map(|s| norm(s))
            .filter(|s| !s.is_empty())
            .collect()
    };
    let required: Vec<(&GoldEntity, BTreeSet<String>)> = gold
        .entities
        .iter()
        .filter(|g| !g.optional)
        .map(|g| (g, forms(g)))
        .collect();
    let optional: Vec<BTreeSet<String>> = gold
        .entities
        .iter()
        .filter(|g| g.optional)
        .map(forms)
        .collect();
    let mut groups: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut typed: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut shown: BTreeMap<String, FalsePositive> = BTreeMap::new();
    for p in preds {
        let key = norm(&p.entity);
        let kind = norm_type(&p.kind);
        let mut f: BTreeSet<String> = [key.clone(), norm(&p.text)]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        groups
            .entry(key.clone())
            .or_default()
            .append(&mut f.clone());
        typed
            .entry((key.clone(), kind.clone()))
            .or_default()
            .append(&mut f);
        let d = shown.entry(key).or_insert_with(|| FalsePositive {
            entity: p.entity.clone(),
            types: vec![],
            texts: vec![],
        });
        if !d.types.contains(&kind) {
            d.types.push(kind);
        }
        if !p.text.is_empty() && !d.texts.contains(&p.text) {
            d.texts.push(p.text.clone());
        }
    }
    let meets = |a: &BTreeSet<String>, b: &BTreeSet<String>| a.intersection(b).next().is_some();
    let all: BTreeSet<String> = groups.values().flatten().cloned().collect();
    let mut s = DocScore {
        doc: gold.doc.clone(),
        ..Default::default()
    };
    s.counts.gold = required.len();
    s.counts.predicted = groups.len();
    for (g, f) in &required {
        if meets(f, &all) {
            s.counts.tp += 1;
            let typed_ok = typed
                .iter()
                .any(|((_, t), tf)| *t == norm_type(&g.kind) && meets(f, tf));
            if typed_ok {
                s.counts.typed_tp += 1;
            } else {
                s.wrong_type.push(GoldName {
                    name: g.name.clone(),
                    kind: g.kind.clone(),
                });
            }
        } else {
            s.missed.push(GoldName {
                name: g.name.clone(),
                kind: g.kind.clone(),
            });
        }
    }
    for (key, f) in &groups {
        if required.iter().any(|(_, gf)| meets(gf, f)) || optional.iter().any(|o| meets(o, f)) {
            continue;
        }
        s.counts.fp += 1;
        s.false_positives.push(shown[key].clone());
    }
    for ((_, t), f) in &typed {
        if optional.iter().any(|o| meets(o, f)) {
            continue;
        }
        if required
            .iter()
            .any(|(g, gf)| norm_type(&g.kind) == *t && meets(gf, f))
        {
            continue;
        }
        s.counts.typed_fp += 1;
    }
    s
}

/// Scores every gold document; predictions are keyed by [`doc_key`] of their document.
/// Returns the per-document scores (in gold order) and the micro-averaged total.
pub fn score(
    gold: &BTreeMap<String, GoldDoc>,
    preds: &BTreeMap<String, Vec<Prediction>>,
) -> (Vec<DocScore>, Counts) {
    let mut total = Counts::default();
    let mut docs = Vec::new();
    for (key, g) in gold {
        let s = score_doc(g, preds.get(key).map_or(&[][..], Vec::as_slice));
        total.add(&s.counts);
        docs.push(s);
    }
    (docs, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str, entity: &str, kind: &str) -> Prediction {
        Prediction {
            text: text.into(),
            entity: entity.into(),
            kind: kind.into(),
        }
    }

    #[test]
    fn eval_matches_score_py_rules() {
        let gold = GoldDoc {
            doc: "a.txt".into(),
            entities: vec![
                GoldEntity {
                    name: "Tom Cruise".into(),
                    kind: "person".into(),
                    aliases: vec!["Cruise".into()],
                    optional: false,
                },
                GoldEntity {
                    name: "Paris".into(),
                    kind: "place".into(),
                    aliases: vec![],
                    optional: false,
                },
                GoldEntity {
                    name: "Hollywood".into(),
                    kind: "place".into(),
                    aliases: vec![],
                    optional: true,
                },
            ],
        };
        let preds = [
            p("Cruise\u{2019}s", "Tom Cruise", "PER"),
            p("Paris", "Paris", "organization"),
            p("Hollywood", "Hollywood", "place"),
            p("Nobody", "Nobody", "person"),
        ];
        let s = score_doc(&gold, &preds);
        assert_eq!(
            s.counts,
            Counts {
                gold: 2,
                predicted: 4,
                tp: 2,
                fp: 1,
                typed_tp: 1,
                typed_fp: 2
            }
        );
        assert_eq!(
            s.wrong_type,
            [GoldName {
                name: "Paris".to_string(),
                kind: "place".to_string()
            }]
        );
        let (pr, r, f) = s.counts.prf();
        assert!((pr - 2.0 / 3.0).abs() < 1e-9 && (r - 1.0).abs() < 1e-9 && (f - 0.8).abs() < 1e-9);
    }

    #[test]
    fn eval_doc_key() {
        assert_eq!(doc_key("seeds/000_x.txt"), "000_x");
        assert_eq!(doc_key("000_x"), "000_x");
    }
}
