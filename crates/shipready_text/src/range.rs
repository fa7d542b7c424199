//! [`TextRange`]: a half-open byte range into a file's text.

use serde::{Deserialize, Serialize};

/// A half-open range `start..end` of byte offsets into a file's UTF-8 text.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    /// A range from `start` to `end`; the ends are swapped if given backwards so a range is never inverted.
    pub fn new(start: usize, end: usize) -> Self {
        if start <= end {
            Self { start, end }
        } else {
            Self {
                start: end,
                end: start,
            }
        }
    }

    /// An empty range at `offset`, used for insertion points.
    pub fn empty(offset: usize) -> Self {
        Self {
            start: offset,
            end: offset,
        }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether `offset` lies inside the range; the end is included so a cursor just after a token counts.
    pub fn contains_inclusive(&self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }

    /// Whether the two ranges share at least one byte, or touch when either is empty.
    pub fn intersects(&self, other: TextRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// The smallest range covering both.
    pub fn cover(&self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The slice of `text` this range covers, or `""` when the range does not fit the text.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// The range moved right by `delta` bytes.
    pub fn shifted(&self, delta: usize) -> TextRange {
        TextRange::new(self.start + delta, self.end + delta)
    }
}

impl From<std::ops::Range<usize>> for TextRange {
    fn from(r: std::ops::Range<usize>) -> Self {
        TextRange::new(r.start, r.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backwards_ranges_are_normalised() {
        assert_eq!(TextRange::new(5, 2), TextRange::new(2, 5));
    }

    #[test]
    fn slice_out_of_bounds_is_empty_not_a_panic() {
        assert_eq!(TextRange::new(2, 50).slice("abc"), "");
        assert_eq!(TextRange::new(1, 3).slice("abc"), "bc");
        // Not on a char boundary: "é" is two bytes.
        assert_eq!(TextRange::new(1, 2).slice("é"), "");
    }

    #[test]
    fn containment_and_intersection() {
        let r = TextRange::new(2, 4);
        assert!(r.contains_inclusive(4));
        assert!(!r.contains_inclusive(5));
        assert!(r.intersects(TextRange::empty(4)));
        assert!(!r.intersects(TextRange::new(5, 6)));
        assert_eq!(r.cover(TextRange::new(7, 9)), TextRange::new(2, 9));
    }
}
