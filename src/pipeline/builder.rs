//! [`PipelineBuilder`]: the options of a pipeline, and loading its dictionaries and rules.

use std::path::PathBuf;
use std::sync::Arc;

use super::Pipeline;
use crate::error::{Error, Result};
use crate::recognize::{DataDir, Dictionary, DictionaryBuilder, Rules, default_recognizers};
use crate::resolve::{NameWords, ResolveOptions, Resolver, SportsClubs, UserLists};

/// Options for building a [`Pipeline`].
#[derive(Debug, Clone, Default)]
pub struct PipelineBuilder {
    dictionaries: Vec<DataSource>,
    rules: Option<RulesSource>,
    ignore_case: bool,
    partial_names: Option<bool>,
    explain: Option<bool>,
    threads: usize,
    max_mentions: Option<usize>,
    cache_dir: Option<PathBuf>,
}

/// Where a dictionary comes from.
#[derive(Debug, Clone)]
enum DataSource {
    /// A file, or a directory of `*.tsv` files.
    Path(PathBuf),
    /// The `*.tsv` files held in memory.
    Data(DataDir),
}

/// Where the rules come from.
#[derive(Debug, Clone)]
enum RulesSource {
    /// A rules file (its lists beside it).
    Path(PathBuf),
    /// A file held in memory (its lists too).
    Data {
        /// The files.
        data: DataDir,
        /// The rules file's name among them.
        file: String,
    },
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
        self.dictionaries.push(DataSource::Path(path.into()));
        self
    }
    /// Adds the `*.tsv` files of `data` (files held in memory, e.g. embedded in a program).
    pub fn dictionary_data(mut self, data: DataDir) -> Self {
        self.dictionaries.push(DataSource::Data(data));
        self
    }
    /// Sets the rules file (`None`: no pattern rules).
    pub fn rules(mut self, path: Option<PathBuf>) -> Self {
        self.rules = path.map(RulesSource::Path);
        self
    }
    /// Sets the rules to the file `file` of `data`, whose word lists are read from `data` too.
    pub fn rules_data(mut self, data: DataDir, file: &str) -> Self {
        self.rules = Some(RulesSource::Data {
            data,
            file: file.to_string(),
        });
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
            for source in &self.dictionaries {
                match source {
                    DataSource::Path(p) => b.add_path(p)?,
                    DataSource::Data(data) => b.add_data(data)?,
                };
            }
            b.build()
        };
        let load_rules = || -> Result<Option<Rules>> {
            self.rules
                .as_ref()
                .map(|source| match source {
                    RulesSource::Path(p) => Rules::from_file(p),
                    RulesSource::Data { data, file } => Rules::from_data(data, file),
                })
                .transpose()
        };
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
        let clubs = Arc::new(sports_clubs(rules.as_deref()));
        // The blocklist and merges of each dictionary directory.
        let mut user = UserLists::new();
        for source in &self.dictionaries {
            match source {
                DataSource::Path(p) if p.is_dir() => user.add_dir(p)?,
                DataSource::Path(_) => {}
                DataSource::Data(data) => add_user_lists(&mut user, data)?,
            }
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
            .with_clubs(clubs)
            .with_user(Arc::new(user)),
            max_mentions: self.max_mentions.unwrap_or(DEFAULT_MAX_MENTIONS),
        })
    }
}

/// The word lists of partial-name resolution, from the rules file's `[lists]`: `common_word`,
/// `surname`, `first_name`, the never-names `demonym`, `function_word`, `title_word`, `head_noun`,
/// `calendar`, `language`, the sentence openers `function_word`, and the head nouns `head_noun`
/// and `place_head` (each optional).
fn name_words(rules: Option<&Rules>) -> NameWords {
    let mut names = NameWords::new();
    let Some(rules) = rules else { return names };
    let list = |name| rules.list(name).into_iter().flatten().map(String::as_str);
    names.add_common(list("common_word"));
    names.add_surnames(list("surname"));
    names.add_given(list("first_name"));
    let never = [
        "demonym",
        "function_word",
        "title_word",
        "head_noun",
        "calendar",
        "language",
    ];
    for list_name in never {
        names.add_never(list(list_name));
    }
    names.add_openers(list("function_word"));
    names.add_heads(list("head_noun"), false);
    names.add_heads(list("place_head"), true);
    names
}

/// The clubs a town's name stands for in a text about a sport, from the rules file's `[lists]`
/// `sports_club` and `sport_cue` (each optional).
fn sports_clubs(rules: Option<&Rules>) -> SportsClubs {
    let mut clubs = SportsClubs::new();
    let Some(rules) = rules else { return clubs };
    let list = |name| rules.list(name).into_iter().flatten().map(String::as_str);
    clubs.add_clubs(list("sports_club"));
    clubs.add_cues(list("sport_cue"));
    clubs
}

/// The blocklist and merges among `data`, as [`UserLists::add_dir`] reads a directory's.
fn add_user_lists(user: &mut UserLists, data: &DataDir) -> Result<()> {
    use crate::resolve::{BLOCKLIST_FILE, MERGES_FILE};
    for name in [BLOCKLIST_FILE, MERGES_FILE] {
        let Some(file) = data.get(name) else {
            continue;
        };
        let path = data.path_of(name);
        let text = std::str::from_utf8(file.bytes).map_err(|_| Error::Dictionary {
            path: path.clone(),
            line: 0,
            message: "not valid UTF-8".into(),
        })?;
        if name == BLOCKLIST_FILE {
            user.add_blocklist(text, &path)?;
        } else {
            user.add_merges(text, &path)?;
        }
    }
    Ok(())
}
