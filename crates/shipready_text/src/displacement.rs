//! [`Displacement`]: where the offsets of a text are after one edit.

use crate::TextRange;

/// The bytes `at..at + removed` of the old text were replaced by `inserted` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Displacement {
    pub at: usize,
    pub removed: usize,
    pub inserted: usize,
}

impl Displacement {
    /// The one edit that turns `old` into `new`: the bytes between their longest common prefix and the longest
    /// common suffix of what is left.
    pub fn between(old: &str, new: &str) -> Displacement {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let room = a.len().min(b.len()) - prefix;
        let suffix = a
            .iter()
            .rev()
            .zip(b.iter().rev())
            .take(room)
            .take_while(|(x, y)| x == y)
            .count();
        Displacement {
            at: prefix,
            removed: a.len() - suffix - prefix,
            inserted: b.len() - suffix - prefix,
        }
    }

    /// Where the old text's offset `p` is in the new text. An offset inside the replaced bytes (which no fact
    /// holds when facts are moved: the edit is inside a comment no fact reads) is kept inside the replacement.
    pub fn offset(&self, p: usize) -> usize {
        let end = self.at + self.removed;
        if p >= end {
            p - self.removed + self.inserted
        } else if p > self.at {
            self.at + (p - self.at).min(self.inserted)
        } else {
            p
        }
    }

    /// [`Displacement::offset`] of both ends of a range.
    pub fn range(&self, r: TextRange) -> TextRange {
        TextRange::new(self.offset(r.start), self.offset(r.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn between_finds_the_bytes_that_differ() {
        let d = Displacement::between("# abc\nFROM x\n", "# abXc\nFROM x\n");
        assert_eq!((d.at, d.removed, d.inserted), (4, 0, 1));
        assert_eq!(d.offset(6), 7);
        let d = Displacement::between("aaaa", "aa");
        assert_eq!((d.at, d.removed, d.inserted), (2, 2, 0));
        let d = Displacement::between("same", "same");
        assert_eq!((d.at, d.removed, d.inserted), (4, 0, 0));
    }
}
