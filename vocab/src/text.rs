//! Vietnamese text as people type it: the same words with or without diacritics, in any case,
//! composed (NFC) or decomposed (NFD), compare equal once folded. Used to find alike titles
//! (duplicate detection) and to match CKAN `q` searches.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds text for comparison: `"Danh mục Đường bộ"` → `"danh muc duong bo"` (marks removed,
/// `đ` → `d`, lower case, every run of non-alphanumerics one space).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_diacritics_case_and_punctuation_in_nfc_and_nfd() {
        let nfc = "Danh mục Đường bộ – Tây Ninh!";
        let nfd: String = nfc.nfd().collect();
        assert_eq!(fold(nfc), "danh muc duong bo tay ninh");
        assert_eq!(fold(&nfd), fold(nfc));
        assert_eq!(fold("  Sở Y tế  "), "so y te");
    }
}
