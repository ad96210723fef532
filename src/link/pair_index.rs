//! The place of each edge in [`super::GraphBuilder`]'s list of edges, by the pair of node numbers
//! it joins.
//!
//! Open addressing with linear probing in a power-of-two table of (key, place) slots kept at most
//! half full. Why not a hash map: in a large corpus most pairs are new, so nearly every update is
//! an insert at a random place of a table of tens of megabytes, a wait for memory each. Here the
//! slots a sentence's pairs start from are read first, all at once ([`PairIndex::read_ahead`]),
//! so those waits overlap; and a slot is 16 bytes where a map's entry (key and edge) took 40, the
//! edges themselves being appended to a list in the order they come. `pair_index_as_hash_map`
//! checks it against `HashMap`.

/// Two distinct node numbers, the lower first: the ends of an edge in the builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pair {
    pub lower: u32,
    pub higher: u32,
}

impl Pair {
    /// The pair of two distinct node numbers, in either order.
    pub fn new(a: u32, b: u32) -> Pair {
        debug_assert_ne!(a, b, "an edge joins two nodes");
        Pair {
            lower: a.min(b),
            higher: a.max(b),
        }
    }

    /// The pair as one number: the lower node number in the high half, the higher in the low half.
    /// Never [`EMPTY`], since `lower < higher`.
    fn key(self) -> u64 {
        (self.lower as u64) << 32 | self.higher as u64
    }
}

/// What [`PairIndex::find_or_insert`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Entry {
    /// The pair was there, at this place.
    Known(usize),
    /// The pair is new: it now has the place given.
    New(usize),
}

/// The place of each [`Pair`] in a list; see the [module docs](self).
#[derive(Debug, Default)]
pub(super) struct PairIndex {
    slots: Vec<Slot>,
    len: usize,
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    /// [`Pair::key`], or [`EMPTY`].
    key: u64,
    place: usize,
}

/// The key of an empty slot.
const EMPTY: u64 = u64::MAX;

impl PairIndex {
    /// The slot a key's probe starts from: the top bits of a multiplicative hash.
    fn home(&self, key: u64) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    /// Makes room for `more` keys (the table stays at most half full).
    fn reserve(&mut self, more: usize) {
        let need = (self.len + more) * 2;
        if need <= self.slots.len() {
            return;
        }
        let size = need.next_power_of_two().max(1024);
        let empty = Slot {
            key: EMPTY,
            place: 0,
        };
        let old = std::mem::replace(&mut self.slots, vec![empty; size]);
        for slot in old.into_iter().filter(|s| s.key != EMPTY) {
            let mut i = self.home(slot.key);
            while self.slots[i].key != EMPTY {
                i = (i + 1) & (size - 1);
            }
            self.slots[i] = slot;
        }
    }

    /// Makes room for `pairs` and reads the slot each one's probe starts from, so that the reads
    /// wait for memory together ([`crate::read_ahead`]); the table is not resized by inserting
    /// them afterwards.
    pub fn read_ahead(&mut self, pairs: &[Pair]) {
        self.reserve(pairs.len());
        crate::read_ahead::read_ahead(pairs.iter().map(|p| self.slots[self.home(p.key())].key));
    }

    /// The place of `pair`; or, if it is new, `place`, which becomes its place.
    pub fn find_or_insert(&mut self, pair: Pair, place: usize) -> Entry {
        self.reserve(1);
        let key = pair.key();
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            let slot = &mut self.slots[i];
            if slot.key == key {
                return Entry::Known(slot.place);
            }
            if slot.key == EMPTY {
                *slot = Slot { key, place };
                self.len += 1;
                return Entry::New(place);
            }
            i = (i + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The pair index finds what a hash map finds, through growth and probes that wrap around the
    /// table's end: 200,000 pairs over 700 node numbers (many repeats), places given in order.
    #[test]
    fn pair_index_as_hash_map() {
        let mut index = PairIndex::default();
        let mut reference: HashMap<(u32, u32), usize> = HashMap::new();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let (a, b) = ((x % 700) as u32, ((x >> 20) % 700) as u32);
            if a == b {
                continue;
            }
            let pair = Pair::new(a, b);
            let next = reference.len();
            let expected = *reference.entry((a.min(b), a.max(b))).or_insert(next);
            let want = if expected == next {
                Entry::New(next)
            } else {
                Entry::Known(expected)
            };
            assert_eq!(index.find_or_insert(pair, next), want, "{a} {b}");
        }
        assert_eq!(index.len, reference.len());
        assert!(index.len > 100_000);
        // Keys whose probes start at the last slot wrap around to the first ones.
        let mut index = PairIndex::default();
        index.reserve(1);
        let last = index.slots.len() - 1;
        let pairs: Vec<Pair> = (1..u32::MAX)
            .map(|b| Pair::new(0, b))
            .filter(|p| index.home(p.key()) == last)
            .take(3)
            .collect();
        for (place, &pair) in pairs.iter().enumerate() {
            assert_eq!(index.find_or_insert(pair, place), Entry::New(place));
        }
        for (place, &pair) in pairs.iter().enumerate() {
            assert_eq!(index.find_or_insert(pair, 99), Entry::Known(place));
        }
        assert_eq!(index.slots[0].key, pairs[1].key());
        assert_eq!(index.slots[1].key, pairs[2].key());
        assert!(index.slots.len() >= 2 * index.len);
    }
}
