//! An ordered parallel map: items taken from a source one at a time are mapped on several
//! threads, and the results are handed to a sink one at a time, in the order the source gave the
//! items.
//!
//! Every thread runs the same loop: wait for room among the items in flight, take the next item
//! (the source is called under a lock, so it needs no locking of its own), map it, and, if its
//! result is the next one in order and no other thread is sinking, sink it, then every result
//! after it that other threads finished meanwhile. So a result is mostly sunk by the thread that
//! made it, while its data are still in that core's caches: with one thread sinking for all
//! (a consumer fed by a channel), the pipeline's two threads used 13-23 % more CPU than one for
//! the same work. rayon's `par_bridge` does not keep the order and its indexed iterators need the
//! whole input at once, hence this small module.
//!
//! What holds for any number of threads:
//! - the sink gets the same results in the same order, and the run returns the same error, as
//!   the plain loop `while let Some(item) = source()? { sink(map(item))? }` (which is what one
//!   thread runs);
//! - at most `in_flight` items are out at a time (taken from the source, not yet sunk), so
//!   memory is bounded whatever the length of the input;
//! - the source is not called again once it has returned `None` or an error;
//! - a panic in the source, the map or the sink stops the other threads and reaches the caller.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::thread;

/// Maps items on several threads and hands the results to a sink in input order (see the module
/// docs).
#[derive(Debug, Clone, Copy)]
pub(crate) struct OrderedMap {
    threads: usize,
    in_flight: usize,
}

impl OrderedMap {
    /// Runs on `threads` threads (the calling one and `threads - 1` more; 0 counts as 1), with at
    /// most 3 items per thread in flight.
    pub fn new(threads: usize) -> Self {
        let threads = threads.max(1);
        OrderedMap {
            threads,
            in_flight: 3 * threads,
        }
    }

    /// At most `n` items in flight (0 counts as 1).
    pub fn in_flight(mut self, n: usize) -> Self {
        self.in_flight = n.max(1);
        self
    }

    /// Takes items from `source` until it returns `None`, maps each with `map` and hands the
    /// results to `sink` in the order of the items. Stops at the first error of the source or
    /// the sink and returns it; the results of the items the source gave before its error are
    /// sunk first. A thread that cannot be started is not waited for: the others do its share.
    pub fn run<T, R, E>(
        &self,
        source: impl FnMut() -> Result<Option<T>, E> + Send,
        map: impl Fn(T) -> R + Sync,
        sink: impl FnMut(R) -> Result<(), E> + Send,
    ) -> Result<(), E>
    where
        T: Send,
        R: Send,
        E: Send,
    {
        if self.threads == 1 {
            let (mut source, mut sink) = (source, sink);
            while let Some(item) = source()? {
                sink(map(item))?;
            }
            return Ok(());
        }
        let run = Run {
            input: Mutex::new(Input {
                next: source,
                taken: 0,
                done: false,
            }),
            map,
            sink: Mutex::new(sink),
            state: Mutex::new(State {
                reserved: 0,
                sunk: 0,
                ready: BTreeMap::new(),
                sinking: false,
                ended: false,
                stopped: false,
                source_error: None,
                sink_error: None,
            }),
            room: Condvar::new(),
            in_flight: self.in_flight as u64,
        };
        thread::scope(|scope| {
            let helpers: Vec<_> = (1..self.threads)
                .filter_map(|i| {
                    thread::Builder::new()
                        .name(format!("entgraph-{i}"))
                        .spawn_scoped(scope, || run.work())
                        .ok()
                })
                .collect();
            run.work();
            for helper in helpers {
                if let Err(panic) = helper.join() {
                    std::panic::resume_unwind(panic);
                }
            }
        });
        let state = run.state.into_inner().unwrap_or_else(|e| e.into_inner());
        // A sink error is about an item taken before the one the source failed on.
        match state.sink_error.or(state.source_error) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// What the threads of a run share.
struct Run<S, M, K, R, E> {
    input: Mutex<Input<S>>,
    map: M,
    sink: Mutex<K>,
    state: Mutex<State<R, E>>,
    /// Signalled when a result is sunk (there is room for another item) or the run ends or stops.
    room: Condvar,
    in_flight: u64,
}

/// The source, and how many items it gave.
struct Input<S> {
    next: S,
    taken: u64,
    /// It returned `None` or an error: it is not called again.
    done: bool,
}

/// An item and its place in the input.
struct Numbered<T> {
    seq: u64,
    item: T,
}

/// What taking from the source gave.
enum Taken<T, E> {
    Item(Numbered<T>),
    End,
    Failed(E),
}

/// Where a run stands.
struct State<R, E> {
    /// Items taken from the source, or about to be (a thread reserves its place first).
    reserved: u64,
    /// Results sunk so far: the number of the next one to sink.
    sunk: u64,
    /// Results that wait for those before them.
    ready: BTreeMap<u64, R>,
    /// A thread is sinking: it also sinks every result whose turn comes meanwhile.
    sinking: bool,
    /// The source has ended or failed: no thread takes another item.
    ended: bool,
    /// The sink failed or a thread panicked: no thread sinks or takes anything more.
    stopped: bool,
    source_error: Option<E>,
    sink_error: Option<E>,
}

impl<S> Input<S> {
    fn take<T, E>(&mut self) -> Taken<T, E>
    where
        S: FnMut() -> Result<Option<T>, E>,
    {
        if self.done {
            return Taken::End;
        }
        match (self.next)() {
            Ok(Some(item)) => {
                let seq = self.taken;
                self.taken += 1;
                Taken::Item(Numbered { seq, item })
            }
            Ok(None) => {
                self.done = true;
                Taken::End
            }
            Err(e) => {
                self.done = true;
                Taken::Failed(e)
            }
        }
    }
}

/// Locks a mutex of the run: a thread that panicked holding it left nothing half-done that
/// matters (the run is stopped).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<S, M, K, T, R, E> Run<S, M, K, R, E>
where
    S: FnMut() -> Result<Option<T>, E>,
    M: Fn(T) -> R,
    K: FnMut(R) -> Result<(), E>,
{
    /// One thread's share of the run: until the input ends or the run stops.
    fn work(&self) {
        let _stop = StopOnPanic(&self.state, &self.room);
        while let Some(Numbered { seq, item }) = self.take() {
            let result = (self.map)(item);
            self.hand_in(seq, result);
        }
    }

    /// The next item, once there is room for it; `None` when this thread is done.
    fn take(&self) -> Option<Numbered<T>> {
        {
            let mut state = lock(&self.state);
            while !state.ended && !state.stopped && state.reserved - state.sunk >= self.in_flight {
                state = self.room.wait(state).unwrap_or_else(|e| e.into_inner());
            }
            if state.ended || state.stopped {
                return None;
            }
            state.reserved += 1;
        }
        let taken = lock(&self.input).take();
        match taken {
            Taken::Item(item) => Some(item),
            Taken::End | Taken::Failed(_) => {
                let mut state = lock(&self.state);
                state.reserved -= 1;
                state.ended = true;
                if let Taken::Failed(e) = taken {
                    state.source_error = Some(e);
                }
                self.room.notify_all();
                None
            }
        }
    }

    /// Files the result of item `seq` and, unless another thread is sinking, sinks every result
    /// whose turn has come.
    fn hand_in(&self, seq: u64, result: R) {
        let mut state = lock(&self.state);
        state.ready.insert(seq, result);
        if state.sinking {
            return;
        }
        state.sinking = true;
        while !state.stopped {
            let next = state.sunk;
            let Some(result) = state.ready.remove(&next) else {
                break;
            };
            drop(state);
            let sunk = (*lock(&self.sink))(result);
            state = lock(&self.state);
            state.sunk += 1;
            if let Err(e) = sunk {
                state.sink_error = Some(e);
                state.stopped = true;
            }
            self.room.notify_all();
        }
        state.sinking = false;
    }
}

/// Stops the run when the thread holding it unwinds, so that no other thread waits for a result
/// that will not come.
struct StopOnPanic<'r, R, E>(&'r Mutex<State<R, E>>, &'r Condvar);

impl<R, E> Drop for StopOnPanic<'_, R, E> {
    fn drop(&mut self) {
        if thread::panicking() {
            lock(self.0).stopped = true;
            self.1.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Some work whose length varies from item to item, so that threads finish out of order.
    fn slow_square(x: u64) -> u64 {
        let mut acc = x;
        for i in 0..(x * 7919 % 13) * 200 {
            acc = std::hint::black_box(acc.wrapping_add(i));
        }
        std::hint::black_box(acc);
        x * x
    }

    /// Counts up from 0 to `n` (excluded).
    fn counter(n: u64) -> impl FnMut() -> Result<Option<u64>, String> + Send {
        let mut next = 0;
        move || {
            let item = (next < n).then_some(next);
            next += 1;
            Ok(item)
        }
    }

    /// The results of a run, in the order sunk, and what it returned.
    fn sunk(
        map: OrderedMap,
        source: impl FnMut() -> Result<Option<u64>, String> + Send,
        fail_at: Option<u64>,
    ) -> (Vec<u64>, Result<(), String>) {
        let mut out = Vec::new();
        let r = map.run(source, slow_square, |y| {
            out.push(y);
            match fail_at {
                Some(at) if y == at * at => Err(format!("sink failed at {at}")),
                _ => Ok(()),
            }
        });
        (out, r)
    }

    /// The sink gets every result in input order, as a sequential map does, for any thread count
    /// and any room in flight.
    #[test]
    fn ordered_map_sinks_in_input_order_for_any_thread_count() {
        let expected: Vec<u64> = (0..500).map(|x| x * x).collect();
        for threads in [0, 1, 2, 3, 4, 8] {
            for in_flight in [1, 2, 5, 100] {
                let map = OrderedMap::new(threads).in_flight(in_flight);
                let (out, r) = sunk(map, counter(500), None);
                assert_eq!(r, Ok(()));
                assert_eq!(out, expected, "{threads} threads, {in_flight} in flight");
            }
        }
    }

    /// An empty input: the sink is never called.
    #[test]
    fn ordered_map_empty_input() {
        for threads in [1, 3] {
            let (out, r) = sunk(OrderedMap::new(threads), counter(0), None);
            assert_eq!((out, r), (vec![], Ok(())));
        }
    }

    /// No more items are out (taken from the source, not handed to the sink) than allowed.
    #[test]
    fn ordered_map_bounds_items_in_flight() {
        for threads in [2, 3, 4] {
            for in_flight in [1, 2, 5] {
                let out = AtomicUsize::new(0);
                let most = AtomicUsize::new(0);
                let mut source = counter(300);
                let map = OrderedMap::new(threads).in_flight(in_flight);
                map.run(
                    || {
                        let item = source()?;
                        if item.is_some() {
                            let now = out.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                        }
                        Ok(item)
                    },
                    slow_square,
                    |_| {
                        out.fetch_sub(1, Ordering::SeqCst);
                        Ok::<(), String>(())
                    },
                )
                .unwrap();
                let most = most.into_inner();
                assert!(
                    most <= in_flight,
                    "{most} out; {threads} threads, {in_flight} allowed"
                );
            }
        }
    }

    /// The first sink error stops the run: the sink is not called again, and the error is what
    /// the run returns.
    #[test]
    fn ordered_map_stops_at_the_first_sink_error() {
        let expected: Vec<u64> = (0..=37).map(|x| x * x).collect();
        for threads in [1, 2, 3, 4] {
            let (out, r) = sunk(OrderedMap::new(threads), counter(500), Some(37));
            assert_eq!(r, Err("sink failed at 37".to_string()), "{threads} threads");
            assert_eq!(out, expected, "{threads} threads");
        }
    }

    /// A source error: the results of the items before it are sunk, the source is not called
    /// again, and the error is what the run returns.
    #[test]
    fn ordered_map_source_error_comes_after_the_items_before_it() {
        let expected: Vec<u64> = (0..50).map(|x| x * x).collect();
        for threads in [1, 2, 3, 4] {
            let calls_after = AtomicUsize::new(0);
            let mut next = 0;
            let source = || {
                next += 1;
                match next - 1 {
                    n @ 0..50 => Ok(Some(n)),
                    50 => Err("source failed".to_string()),
                    _ => {
                        calls_after.fetch_add(1, Ordering::SeqCst);
                        Ok(None)
                    }
                }
            };
            let (out, r) = sunk(OrderedMap::new(threads), source, None);
            assert_eq!(r, Err("source failed".to_string()), "{threads} threads");
            assert_eq!(out, expected, "{threads} threads");
            assert_eq!(calls_after.into_inner(), 0);
        }
    }

    /// A sink error on an item taken before the source failed wins: it comes first in input
    /// order.
    #[test]
    fn ordered_map_sink_error_before_a_source_error_wins() {
        for threads in [1, 2, 4] {
            let mut next = 0;
            let source = || {
                next += 1;
                match next - 1 {
                    n @ 0..10 => Ok(Some(n)),
                    _ => Err("source failed".to_string()),
                }
            };
            let (out, r) = sunk(OrderedMap::new(threads), source, Some(9));
            assert_eq!(r, Err("sink failed at 9".to_string()), "{threads} threads");
            assert_eq!(out.len(), 10);
        }
    }

    /// A panic in the map, the sink or the source reaches the caller with its own message, and no
    /// thread is left waiting.
    #[test]
    fn ordered_map_panic_reaches_the_caller() {
        let message = |r: thread::Result<Result<(), String>>| -> String {
            let panic = r.expect_err("the run panics");
            match panic.downcast::<String>() {
                Ok(s) => *s,
                Err(p) => p.downcast::<&str>().map(|s| s.to_string()).unwrap(),
            }
        };
        for threads in [1, 2, 3] {
            let map = OrderedMap::new(threads);
            let r = std::panic::catch_unwind(|| {
                map.run(
                    counter(1000),
                    |x| {
                        assert!(x != 20, "map panics");
                        x
                    },
                    |_| Ok(()),
                )
            });
            assert_eq!(message(r), "map panics", "{threads} threads");
            let r = std::panic::catch_unwind(|| {
                map.run(counter(1000), slow_square, |y| {
                    assert!(y != 400, "sink panics");
                    Ok(())
                })
            });
            assert_eq!(message(r), "sink panics", "{threads} threads");
            let r = std::panic::catch_unwind(|| {
                let mut source = counter(1000);
                map.run(
                    || {
                        let item = source()?;
                        assert!(item != Some(20), "source panics");
                        Ok(item)
                    },
                    slow_square,
                    |_| Ok(()),
                )
            });
            assert_eq!(message(r), "source panics", "{threads} threads");
        }
    }
}
