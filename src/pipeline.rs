//! The pipeline: the only code that knows the order of the stages.
//! read → normalize → segment → recognize → resolve (→ link, export by the caller).

use std::path::PathBuf;
use std::sync::Arc;

use crate::error::{Result, Warning};
use crate::link::Window;
use crate::model::{Document, Mention, Sentence, Span};
use crate::normalize::normalize;
use crate::recognize::{
    Dictionary, DictionaryBuilder, Input, Recognizer, Rules, default_recognizers,
};
use crate::resolve::{ResolveOptions, resolve};

/// Options for building a [`Pipeline`].
#[derive(Debug, Clone, Default)]
pub struct PipelineBuilder {
    dictionaries: Vec<PathBuf>,
    rules: Option<PathBuf>,
    ignore_case: bool,
    partial_names: Option<bool>,
    max_mentions: Option<usize>,
}

/// The default cap on mentions per document ([`PipelineBuilder::max_mentions`]).
pub const DEFAULT_MAX_MENTIONS: usize = 1_000_000;

impl PipelineBuilder {
    /// No dictionaries and no rules yet.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds a dictionary file or directory of `*.tsv` files.
    pub fn dictionary(mut self, path: impl Into<PathBuf>) -> Self {
        self.dictionaries.push(path.into());
        self
    }
    /// Sets the rules file (`None`: no pattern rules).
    pub fn rules(mut self, path: Option<PathBuf>) -> Self {
        self.rules = path;
        self
    }
    /// Dictionary matching ignores case.
    pub fn ignore_case(mut self, yes: bool) -> Self {
        self.ignore_case = yes;
        self
    }
    /// Resolve partial person names within documents (default on).
    pub fn partial_names(mut self, yes: bool) -> Self {
        self.partial_names = Some(yes);
        self
    }

    /// Keeps at most `n` mentions per document (default [`DEFAULT_MAX_MENTIONS`]): recognition
    /// stops there and [`Analysis::truncated`] says so. Bounds memory against adversarial input.
    pub fn max_mentions(mut self, n: usize) -> Self {
        self.max_mentions = Some(n.max(1));
        self
    }

    /// Loads dictionaries and rules and compiles them. Errors name the file and line.
    pub fn build(self) -> Result<Pipeline> {
        let mut b = DictionaryBuilder::new();
        b.ignore_case(self.ignore_case);
        for p in &self.dictionaries {
            b.add_path(p)?;
        }
        let dictionary = Arc::new(b.build()?);
        let rules = match &self.rules {
            Some(p) => Some(Arc::new(Rules::from_file(p)?)),
            None => None,
        };
        let recognizers = default_recognizers(dictionary.clone(), rules.clone());
        Ok(Pipeline {
            dictionary,
            rules,
            recognizers,
            resolve: ResolveOptions {
                partial_names: self.partial_names.unwrap_or(true),
            },
            max_mentions: self.max_mentions.unwrap_or(DEFAULT_MAX_MENTIONS),
        })
    }
}

/// A compiled pipeline: analyze documents one at a time (it is `Sync`: share it across threads).
pub struct Pipeline {
    dictionary: Arc<Dictionary>,
    rules: Option<Arc<Rules>>,
    recognizers: Vec<Box<dyn Recognizer>>,
    resolve: ResolveOptions,
    max_mentions: usize,
}

/// What the pipeline found in one document.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Sentences, with spans into the document as read.
    pub sentences: Vec<Sentence>,
    /// Mentions in text order, with spans into the document as read.
    pub mentions: Vec<Mention>,
    /// True when the document had more mentions than the cap ([`PipelineBuilder::max_mentions`]):
    /// only those before the point where recognition stopped are kept.
    pub truncated: bool,
}

impl Pipeline {
    /// The compiled dictionary.
    pub fn dictionary(&self) -> &Dictionary {
        &self.dictionary
    }

    /// The compiled rules, if any.
    pub fn rules(&self) -> Option<&Rules> {
        self.rules.as_deref()
    }

    /// Warnings from loading dictionaries.
    pub fn warnings(&self) -> &[Warning] {
        self.dictionary.warnings()
    }

    /// The cap on mentions per document.
    pub fn max_mentions(&self) -> usize {
        self.max_mentions
    }

    /// The warning for a document whose mentions were cut at the cap.
    pub fn truncation_warning(&self, doc: &str) -> Warning {
        Warning {
            path: Some(doc.into()),
            line: None,
            message: format!(
                "more than {} mentions; only the first {} were kept (--max-mentions)",
                self.max_mentions, self.max_mentions
            ),
        }
    }

    /// Runs normalize → segment → recognize → resolve on one document.
    ///
    /// ```
    /// use entgraph::{Document, PipelineBuilder};
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("person.tsv"), "Tom Cruise\tCruise\n").unwrap();
    /// let p = PipelineBuilder::new().dictionary(dir.path()).build().unwrap();
    /// let a = p.analyze(&Document::new("d", "Tom Cruise\u{2019}s stunt. Cruise jumped."));
    /// assert_eq!(a.mentions.len(), 2);
    /// assert_eq!(a.sentences.len(), 2);
    /// ```
    pub fn analyze(&self, doc: &Document) -> Analysis {
        match self.analyze_capped(doc) {
            Ok(analysis) => analysis,
            // Issue 6: more mentions than the cap. Only the text before the point where
            // recognition stopped is analyzed, so that no later stage (partial names) looks past it.
            Err(cut) => {
                let prefix = Document::new(doc.name.clone(), &doc.text[..cut]);
                let mut analysis = self.analyze_capped(&prefix).unwrap_or_else(|_| Analysis {
                    sentences: Vec::new(),
                    mentions: Vec::new(),
                    truncated: true,
                });
                analysis.truncated = true;
                analysis
            }
        }
    }

    /// [`Pipeline::analyze`], or, when a recognizer stopped at the cap on mentions, the byte offset
    /// in `doc.text` before which the candidates are complete.
    fn analyze_capped(&self, doc: &Document) -> std::result::Result<Analysis, usize> {
        let norm = normalize(&doc.text);
        let sentences = crate::segment::segment(&norm.text);
        let mut candidates = Vec::new();
        let input = Input {
            text: &norm.text,
            sentences: &sentences,
            limit: self.max_mentions.saturating_add(1),
        };
        for r in &self.recognizers {
            r.recognize(input, &mut candidates);
        }
        if let Some(cut) = crate::recognize::cap_candidates(&mut candidates, input.limit) {
            return Err(norm.map.to_original(cut, &doc.text));
        }
        let mut mentions = resolve(
            candidates,
            &norm,
            &doc.text,
            Some(&self.dictionary),
            self.resolve,
        );
        let truncated = mentions.len() > self.max_mentions;
        mentions.truncate(self.max_mentions);
        let sentences = sentences
            .into_iter()
            .map(|s| {
                let (a, b) = norm.span_to_original(s.span.start, s.span.end, &doc.text);
                Sentence {
                    span: Span::new(a, b),
                    paragraph: s.paragraph,
                }
            })
            .collect();
        Ok(Analysis {
            sentences,
            mentions,
            truncated,
        })
    }
}

/// Settings for linking, shared by commands that build a graph.
#[derive(Debug, Clone, Copy)]
pub struct LinkOptions {
    /// The co-occurrence window.
    pub window: Window,
    /// Minimum edge weight kept.
    pub min_weight: u64,
}
