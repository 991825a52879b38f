//! Short byte strings stored inline (no spec logic here: a memory layout).
//!
//! Retrieval reads every candidate cookie's path, name and value. Most cookies and domains are
//! short, so keeping their bytes beside the other fields, instead of behind a pointer, turns a
//! cache miss per cookie into a read of the same or the next cache line; long ones go on the
//! heap as before.

/// Bytes up to this length are stored inline.
const INLINE: usize = 46;

/// An immutable byte string, inline when short.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) enum SmallBytes {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<[u8]>),
}

impl SmallBytes {
    /// The concatenation of `parts`.
    pub fn concat(parts: &[&[u8]]) -> SmallBytes {
        let total: usize = parts.iter().map(|p| p.len()).sum();
        if total <= INLINE {
            let mut bytes = [0u8; INLINE];
            let mut at = 0;
            for part in parts {
                bytes[at..at + part.len()].copy_from_slice(part);
                at += part.len();
            }
            // `total <= INLINE < 256`.
            SmallBytes::Inline { len: total as u8, bytes }
        } else {
            SmallBytes::Heap(parts.concat().into_boxed_slice())
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        match self {
            SmallBytes::Inline { len, bytes } => &bytes[..usize::from(*len)],
            SmallBytes::Heap(bytes) => bytes,
        }
    }
}

impl std::fmt::Debug for SmallBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_strings_are_inline_and_long_ones_on_the_heap_with_the_same_bytes() {
        let short = SmallBytes::concat(&[b"sid", b"=", b"abc"]);
        assert!(matches!(short, SmallBytes::Inline { .. }));
        assert_eq!(short.as_bytes(), b"sid=abc");
        let edge = vec![b'x'; INLINE];
        assert!(matches!(SmallBytes::concat(&[&edge]), SmallBytes::Inline { .. }));
        let long = [b'y'; INLINE + 1];
        let heap = SmallBytes::concat(&[&long[..1], &long[1..]]);
        assert!(matches!(heap, SmallBytes::Heap(_)));
        assert_eq!(heap.as_bytes(), &long[..]);
        assert_eq!(SmallBytes::concat(&[]).as_bytes(), b"");
    }
}
