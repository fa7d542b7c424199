//! [`Reads`]: which bytes of a Python file its facts were read from, recorded while the extractors run, so that
//! an edit of bytes no extractor read can move the facts instead of deriving them again.
//!
//! Extractors read text through a few helpers (`ts::text`, `ts::string_value`, `ts::line_indent`, the CDK
//! extractor's `node_text`); each notes the byte range it returns with [`read`]. Whole-file byte searches (the
//! node index's `(`/`[`/`import` marks, the security walk's marks, the words a handler is searched for) decide
//! which nodes are read without reading them: they note their needles with [`searched`] instead, and an edit that
//! makes or breaks an occurrence of one ([`Reads::needles_change`]) is never treated as unread.
//!
//! Recording is switched on per extraction ([`recorded`]); outside one, the helpers' notes cost a thread-local
//! check.

use std::cell::RefCell;

use super::shift::Displacement;

/// The bytes a file's facts were read from, and the needles its text was searched for.
#[derive(Clone, Debug, Default)]
pub(crate) struct Reads {
    /// Sorted, disjoint, non-adjacent `(start, end)` byte ranges.
    ranges: Vec<(usize, usize)>,
    /// `(needle, whether ASCII case is ignored)`.
    needles: Vec<(Box<[u8]>, bool)>,
}

/// What an extraction in progress has read: one bit per byte of the text.
struct Recorder {
    bits: Vec<u64>,
    len: usize,
    needles: Vec<(Box<[u8]>, bool)>,
}

thread_local! {
    static RECORDER: RefCell<Option<Recorder>> = const { RefCell::new(None) };
}

/// Note that the bytes `start..end` were read (nothing when no extraction is being recorded).
pub(crate) fn read(start: usize, end: usize) {
    RECORDER.with_borrow_mut(|recorder| {
        if let Some(r) = recorder {
            let end = end.min(r.len);
            if start < end {
                mark(&mut r.bits, start, end);
            }
        }
    });
}

/// Note that the text was searched for `needle` (with ASCII case ignored when `ignore_case`).
pub(crate) fn searched(needle: &[u8], ignore_case: bool) {
    RECORDER.with_borrow_mut(|recorder| {
        if let Some(r) = recorder {
            if !r
                .needles
                .iter()
                .any(|(n, i)| **n == *needle && *i == ignore_case)
            {
                r.needles.push((needle.into(), ignore_case));
            }
        }
    });
}

/// Whether `text` holds `needle` (case-sensitive), noted as a search: an extractor that looks for a construct
/// only in files that spell its name asks this first.
pub(crate) fn holds(text: &str, needle: &str) -> bool {
    searched(needle.as_bytes(), false);
    memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some()
}

/// Run `a` and `b` in parallel (rayon), each under a recording of its own that is then added to the recording in
/// progress on this thread, if any, and each with [`super::ts::memoized`]: the thread a closure runs on may be
/// another (a caller outside rayon's pool runs neither on its own thread), and both are thread-local.
pub(crate) fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    let len = RECORDER.with_borrow(|r| r.as_ref().map(|r| r.len));
    match len {
        None => rayon::join(|| super::ts::memoized(a), || super::ts::memoized(b)),
        Some(len) => {
            let ((x, first), (y, second)) = rayon::join(
                || recorded(len, || super::ts::memoized(a)),
                || recorded(len, || super::ts::memoized(b)),
            );
            absorb(first);
            absorb(second);
            (x, y)
        }
    }
}

/// Add what another recording saw to the recording in progress on this thread.
fn absorb(reads: Reads) {
    RECORDER.with_borrow_mut(|recorder| {
        if let Some(r) = recorder {
            for (start, end) in reads.ranges {
                let end = end.min(r.len);
                if start < end {
                    mark(&mut r.bits, start, end);
                }
            }
            for (needle, ignore_case) in reads.needles {
                if !r
                    .needles
                    .iter()
                    .any(|(n, i)| *n == needle && *i == ignore_case)
                {
                    r.needles.push((needle, ignore_case));
                }
            }
        }
    });
}

/// Run `extract` over a text of `len` bytes, recording what it reads. Recordings nest: an inner one is kept
/// apart and the outer one resumes after it, also when `extract` panics.
pub(crate) fn recorded<T>(len: usize, extract: impl FnOnce() -> T) -> (T, Reads) {
    struct Restore(Option<Recorder>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            RECORDER.with_borrow_mut(|r| *r = outer);
        }
    }
    let fresh = Recorder {
        bits: vec![0; len.div_ceil(64)],
        len,
        needles: Vec::new(),
    };
    let restore = Restore(RECORDER.with_borrow_mut(|r| r.replace(fresh)));
    let value = extract();
    let recorder = RECORDER.with_borrow_mut(Option::take);
    drop(restore);
    let reads = recorder.map_or_else(Reads::default, |r| Reads {
        ranges: ranges(&r.bits, r.len),
        needles: r.needles,
    });
    (value, reads)
}

fn mark(bits: &mut [u64], start: usize, end: usize) {
    let (first, last) = (start / 64, (end - 1) / 64);
    for word in first..=last {
        let lo = if word == first { start % 64 } else { 0 };
        let hi = if word == last { (end - 1) % 64 } else { 63 };
        let mask = (u64::MAX >> (63 - hi)) & (u64::MAX << lo);
        if let Some(w) = bits.get_mut(word) {
            *w |= mask;
        }
    }
}

/// The runs of set bits as byte ranges, found a run at a time (`trailing_zeros`), not a bit at a time: a large
/// module's bitset has hundreds of thousands of bits and thousands of runs.
fn ranges(bits: &[u64], len: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut open: Option<usize> = None;
    for (i, &word) in bits.iter().enumerate() {
        let mut bit = 0;
        while bit < 64 {
            // Inside a run, look for the next clear bit; outside one, for the next set bit.
            let rest = if open.is_some() { !word } else { word } >> bit;
            if rest == 0 {
                break;
            }
            bit += rest.trailing_zeros() as usize;
            let at = i * 64 + bit;
            match open.take() {
                Some(start) => out.push((start, at)),
                None => open = Some(at),
            }
        }
    }
    if let Some(start) = open {
        out.push((start, len));
    }
    out
}

impl Reads {
    #[cfg(test)]
    pub(crate) fn ranges(&self) -> &[(usize, usize)] {
        &self.ranges
    }

    #[cfg(test)]
    pub(crate) fn needles(&self) -> &[(Box<[u8]>, bool)] {
        &self.needles
    }

    /// Whether any byte of `start..end` was read.
    pub(crate) fn any_in(&self, start: usize, end: usize) -> bool {
        let first = self.ranges.partition_point(|&(_, e)| e <= start);
        self.ranges.get(first).is_some_and(|&(s, _)| s < end)
    }

    /// Whether replacing the bytes `start..old_end` of `text` with `inserted` makes or breaks an occurrence of a
    /// searched needle, or changes whether the changed bytes are all ASCII (a search for words in any case treats
    /// text with other characters as a match).
    pub(crate) fn needles_change(
        &self,
        text: &str,
        start: usize,
        old_end: usize,
        inserted: &str,
    ) -> bool {
        let bytes = text.as_bytes();
        let Some(removed) = bytes.get(start..old_end) else {
            return true;
        };
        if !removed.is_ascii() || !inserted.is_ascii() {
            return true;
        }
        let reach = self.needles.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
        let before = bytes.get(start.saturating_sub(reach)..start).unwrap_or(&[]);
        let after = bytes
            .get(old_end..(old_end + reach).min(bytes.len()))
            .unwrap_or(&[]);
        let old: Vec<u8> = [before, removed, after].concat();
        let new: Vec<u8> = [before, inserted.as_bytes(), after].concat();
        let at = before.len();
        self.needles.iter().any(|(needle, ignore_case)| {
            crosses(&old, at, at + removed.len(), needle, *ignore_case)
                || crosses(&new, at, at + inserted.len(), needle, *ignore_case)
        })
    }

    /// Add what another recording saw (ranges merged, needles deduplicated): one pass over both sorted lists.
    pub(crate) fn merge(&mut self, other: Reads) {
        let mine = std::mem::take(&mut self.ranges);
        let mut out: Vec<(usize, usize)> = Vec::with_capacity(mine.len() + other.ranges.len());
        let (mut a, mut b) = (
            mine.into_iter().peekable(),
            other.ranges.into_iter().peekable(),
        );
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x <= y => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, _) => b.next(),
            };
            let Some((start, end)) = next else { break };
            match out.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => out.push((start, end)),
            }
        }
        self.ranges = out;
        for needle in other.needles {
            if !self.needles.contains(&needle) {
                self.needles.push(needle);
            }
        }
    }

    /// Move the recorded ranges past an edit of bytes no extractor read.
    pub(crate) fn shift(&mut self, by: &Displacement) {
        for (start, end) in &mut self.ranges {
            *start = by.offset(*start);
            *end = by.offset(*end);
        }
    }
}

/// Whether `needle` occurs in `window` overlapping the bytes `from..to` (straddling `from` when they are none).
fn crosses(window: &[u8], from: usize, to: usize, needle: &[u8], ignore_case: bool) -> bool {
    if needle.is_empty() || window.len() < needle.len() {
        return false;
    }
    (0..=window.len() - needle.len()).any(|o| {
        let overlaps = if from < to {
            o < to && o + needle.len() > from
        } else {
            o < from && o + needle.len() > from
        };
        overlaps && {
            let part = &window[o..o + needle.len()];
            if ignore_case {
                part.eq_ignore_ascii_case(needle)
            } else {
                part == needle
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_reads_become_merged_ranges() {
        let ((), reads) = recorded(300, || {
            read(3, 5);
            read(5, 9);
            read(62, 130);
            read(299, 400);
            searched(b"(", false);
            searched(b"(", false);
        });
        assert_eq!(reads.ranges, vec![(3, 9), (62, 130), (299, 300)]);
        assert_eq!(reads.needles.len(), 1);
        assert!(reads.any_in(8, 10) && reads.any_in(0, 4) && reads.any_in(129, 200));
        assert!(!reads.any_in(9, 62) && !reads.any_in(130, 299) && !reads.any_in(0, 3));
        // Outside a recording nothing is kept, and an inner recording leaves the outer one going.
        read(0, 10);
        let ((), outer) = recorded(10, || {
            read(1, 2);
            let ((), inner) = recorded(10, || read(5, 6));
            assert_eq!(inner.ranges, vec![(5, 6)]);
            read(8, 9);
        });
        assert_eq!(outer.ranges, vec![(1, 2), (8, 9)]);
    }

    #[test]
    fn runs_of_bits_are_the_ranges_a_bit_by_bit_scan_finds() {
        let bit_by_bit = |bits: &[u64], len: usize| {
            let mut out: Vec<(usize, usize)> = Vec::new();
            let set = |at: usize| bits[at / 64] >> (at % 64) & 1 == 1;
            let mut at = 0;
            while at < len {
                if set(at) {
                    let start = at;
                    while at < len && set(at) {
                        at += 1;
                    }
                    out.push((start, at));
                } else {
                    at += 1;
                }
            }
            out
        };
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..2_000 {
            let words = (next() % 5) as usize;
            // Words of every shape: empty, full, sparse, dense, runs crossing word boundaries.
            let bits: Vec<u64> = (0..words)
                .map(|_| match next() % 5 {
                    0 => 0,
                    1 => u64::MAX,
                    2 => next() & next() & next(),
                    3 => next() | next(),
                    _ => next(),
                })
                .collect();
            let len = words * 64;
            assert_eq!(ranges(&bits, len), bit_by_bit(&bits, len), "{bits:x?}");
        }
    }

    #[test]
    fn merged_reads_are_the_union_of_both() {
        let reads = |ranges: &[(usize, usize)]| Reads {
            ranges: ranges.to_vec(),
            needles: Vec::new(),
        };
        let mut a = reads(&[(0, 3), (10, 12), (20, 30)]);
        a.merge(reads(&[(2, 5), (12, 14), (16, 18), (40, 41)]));
        assert_eq!(
            a.ranges,
            vec![(0, 5), (10, 14), (16, 18), (20, 30), (40, 41)]
        );
        let mut empty = reads(&[]);
        empty.merge(reads(&[(1, 2)]));
        assert_eq!(empty.ranges, vec![(1, 2)]);
    }

    #[test]
    fn needles_made_or_broken_by_an_edit() {
        let reads = Reads {
            ranges: Vec::new(),
            needles: vec![
                (b"import"[..].into(), false),
                (b"db".as_slice().into(), true),
            ],
        };
        let text = "x = impor_t + bar";
        let at = text.find('_').unwrap_or(0);
        // Deleting `_` makes `import`; typing `x` after `impor` does not.
        assert!(reads.needles_change(text, at, at + 1, ""));
        assert!(!reads.needles_change(text, at, at, "x"));
        // Breaking an occurrence counts too, and case is ignored where asked.
        assert!(reads.needles_change("a = import", 6, 6, "x"));
        assert!(reads.needles_change("a = d", 5, 5, "B"));
        assert!(!reads.needles_change("a = d", 5, 5, "c"));
        assert!(reads.needles_change("a = d", 5, 5, "\u{e9}"));
    }
}
