//! [`PipelineBuilder`]: the options of a pipeline, and loading its dictionaries and rules.

use std::path::PathBuf;
use std::sync::Arc;

use super::Pipeline;
use crate::error::{Error, Result};
use crate::recognize::{Dictionary, DictionaryBuilder, Rules, default_recognizers};
use crate::resolve::{NameWords, ResolveOptions, Resolver, UserLists};

/// Options for building a [`Pipeline`].
#[derive(Debug, Clone, Default)]
pub struct PipelineBuilder {
    dictionaries: Vec<PathBuf>,
    rules: Option<PathBuf>,
    ignore_case: bool,
    partial_names: Option<bool>,
    explain: Option<bool>,
    threads: usize,
    max_mentions: Option<usize>,
    cache_dir: Option<PathBuf>,
}

/// Default cap on mentions per document ([`PipelineBuilder::max_mentions`]).
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

    /// Keeps at most `n` mentions per document (default [`DEFAULT_MAX_MENTIONS`]): past that point
    /// nothing more of the document is analyzed, and [`super::Analysis::truncated`] (or
    /// [`super::Chunk::truncated`]) says so. Bounds memory and time against adversarial input.
    pub fn max_mentions(mut self, n: usize) -> Self {
        self.max_mentions = Some(n.max(1));
        self
    }

    /// Record in each mention the candidates it won over ([`crate::Mention::beat`], default on).
    pub fn explain(mut self, yes: bool) -> Self {
        self.explain = Some(yes);
        self
    }

    /// Loads dictionaries and rules on `n` threads (default 1): with two or more, the rules
    /// compile while the dictionary loads.
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = n;
        self
    }

    /// Keeps the compiled automaton of a large dictionary in `dir` ([`crate::recognize::cache`]).
    /// `None` (the default) means no cache: the automaton is compiled every time. The library
    /// never picks a directory by itself and reads no environment variable for one: the caller
    /// decides (the command-line tool does).
    pub fn dictionary_cache(mut self, dir: Option<PathBuf>) -> Self {
        self.cache_dir = dir;
        self
    }

    /// Loads dictionaries and rules and compiles them. Errors name the file and line.
    pub fn build(self) -> Result<Pipeline> {
        let load_dictionary = || -> Result<Dictionary> {
            let mut b = DictionaryBuilder::new();
            b.ignore_case(self.ignore_case);
            b.cache_dir(self.cache_dir.clone());
            for p in &self.dictionaries {
                b.add_path(p)?;
            }
            b.build()
        };
        let load_rules =
            || -> Result<Option<Rules>> { self.rules.as_deref().map(Rules::from_file).transpose() };
        // With 2 threads or more, the dictionary loads on this thread while the rules compile on a
        // pool of `threads` threads (each rule's regexes on whichever is free).
        let (dictionary, rules) = if self.threads > 1 {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(self.threads)
                .thread_name(|i| format!("entgraph-load-{i}"))
                .build()
                .map_err(|e| {
                    Error::Invalid(format!("cannot start {} threads: {e}", self.threads))
                })?;
            std::thread::scope(|s| {
                let rules = s.spawn(|| pool.install(load_rules));
                let dictionary = load_dictionary();
                (
                    dictionary,
                    rules.join().expect("rules loader does not panic"),
                )
            })
        } else {
            (load_dictionary(), load_rules())
        };
        // Dictionary errors first, as when loading one after the other.
        let dictionary = Arc::new(dictionary?);
        let rules = rules?.map(Arc::new);
        let recognizers = default_recognizers(dictionary.clone(), rules.clone());
        let names = Arc::new(name_words(rules.as_deref()));
        // The blocklist and merges of each dictionary directory.
        let mut user = UserLists::new();
        for p in self.dictionaries.iter().filter(|p| p.is_dir()) {
            user.add_dir(p)?;
        }
        Ok(Pipeline {
            dictionary: dictionary.clone(),
            rules,
            recognizers,
            resolver: Resolver::new(
                dictionary,
                ResolveOptions {
                    partial_names: self.partial_names.unwrap_or(true),
                    explain: self.explain.unwrap_or(true),
                },
            )
            .with_names(names)
            .with_user(Arc::new(user)),
            max_mentions: self.max_mentions.unwrap_or(DEFAULT_MAX_MENTIONS),
        })
    }
}

/// The word lists of partial-name resolution, from the rules file's `[lists]`: `common_word`,
/// `surname`, `first_name`, and the never-names `demonym`, `function_word`, `title_word`, `head_noun` (each
/// optional).
fn name_words(rules: Option<&Rules>) -> NameWords {
    let mut names = NameWords::new();
    let Some(rules) = rules else { return names };
    let list = |name| rules.list(name).into_iter().flatten().map(String::as_str);
    names.add_common(list("common_word"));
    names.add_surnames(list("surname"));
    names.add_given(list("first_name"));
    for never in ["demonym", "function_word", "title_word", "head_noun"] {
        names.add_never(list(never));
    }
    names
}
