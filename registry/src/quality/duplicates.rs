//! Likely duplicates across agencies (R8 "no overlap"): titles folded (case, punctuation and
//! Vietnamese diacritics removed, `đ` → `d`, NFC and NFD alike) and compared by character-
//! trigram similarity; only pairs from different agencies are listed, for people to review.

use std::collections::HashMap;
use store::StoreError;
use store::log::Log;
use vocab::text::fold;

fn trigrams(folded: &str) -> Vec<String> {
    let padded: Vec<char> = format!("  {folded} ").chars().collect();
    let mut v: Vec<String> = padded.windows(3).map(|w| w.iter().collect()).collect();
    v.sort();
    v.dedup();
    v
}

/// Jaccard similarity of two folded titles' trigram sets, 0–1.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (ta, tb) = (trigrams(a), trigrams(b));
    let shared = ta.iter().filter(|t| tb.binary_search(t).is_ok()).count();
    let union = ta.len() + tb.len() - shared;
    if union == 0 {
        0.0
    } else {
        shared as f64 / union as f64
    }
}

/// One side of a pair.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Candidate {
    /// Record id.
    pub id: String,
    /// Owning agency.
    pub agency: String,
    /// Title as written.
    pub title: String,
}

/// Two records from different agencies whose titles are alike.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Pair {
    /// Trigram similarity of the folded titles (1 = same after folding).
    pub similarity: f64,
    /// The first record.
    pub a: Candidate,
    /// The second record.
    pub b: Candidate,
}

/// Finds pairs at or above `threshold` among published records of `kind`.
pub async fn find(log: &Log, kind: &str, threshold: f64) -> Result<Vec<Pair>, StoreError> {
    let rows = log.titles(kind).await?;
    let mut items: Vec<(Candidate, String, Vec<String>)> = Vec::new();
    for (id, agency, title_vi, title_en) in rows {
        let Some(title) = title_vi.or(title_en) else {
            continue;
        };
        let folded = fold(&title);
        if folded.is_empty() {
            continue;
        }
        let grams = trigrams(&folded);
        items.push((Candidate { id, agency, title }, folded, grams));
    }
    Ok(pairs(&items, threshold))
}

fn pairs(items: &[(Candidate, String, Vec<String>)], threshold: f64) -> Vec<Pair> {
    // Inverted index of trigrams; very common trigrams carry no signal and are skipped.
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (_, _, grams)) in items.iter().enumerate() {
        for g in grams {
            index.entry(g.as_str()).or_default().push(i);
        }
    }
    let common = (items.len() / 5).max(50);
    let mut out = Vec::new();
    for (i, (a, fa, ga)) in items.iter().enumerate() {
        let mut shared: HashMap<usize, usize> = HashMap::new();
        for g in ga {
            let posting = &index[g.as_str()];
            if posting.len() > common {
                continue;
            }
            for &j in posting {
                if j > i && items[j].0.agency != a.agency {
                    *shared.entry(j).or_default() += 1;
                }
            }
        }
        for (j, n) in shared {
            let gb = &items[j].2;
            // Upper bound from the indexed trigrams alone; then the exact similarity.
            if (n as f64) < threshold * ga.len().min(gb.len()) as f64 * 0.5 {
                continue;
            }
            let s = similarity(fa, &items[j].1);
            if s >= threshold {
                out.push(Pair {
                    similarity: (s * 1000.0).round() / 1000.0,
                    a: a.clone(),
                    b: items[j].0.clone(),
                });
            }
        }
    }
    out.sort_by(|x, y| {
        y.similarity
            .total_cmp(&x.similarity)
            .then_with(|| x.a.id.cmp(&y.a.id))
            .then_with(|| x.b.id.cmp(&y.b.id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alike_titles_of_different_agencies_pair_and_same_agency_does_not() {
        let c = |id: &str, agency: &str, title: &str| {
            let f = fold(title);
            let g = trigrams(&f);
            (
                Candidate {
                    id: id.into(),
                    agency: agency.into(),
                    title: title.into(),
                },
                f,
                g,
            )
        };
        let items = vec![
            c("1", "so-gtvt", "Danh sách trạm thu phí đường bộ"),
            c("2", "so-tc", "Danh sach tram thu phi duong bo"),
            c("3", "so-gtvt", "Danh sách trạm thu phí đường bộ năm 2026"),
            c("4", "so-yt", "Danh sách bệnh viện công lập"),
        ];
        let p = pairs(&items, 0.8);
        assert!(!p.is_empty(), "{p:?}");
        assert_eq!((p[0].a.id.as_str(), p[0].b.id.as_str()), ("1", "2"));
        assert_eq!(p[0].similarity, 1.0);
        assert!(p.iter().all(|x| x.a.agency != x.b.agency));
        assert!(p.iter().all(|x| x.a.id != "4" && x.b.id != "4"));
    }
}
