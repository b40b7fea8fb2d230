//! What both the syntax dispatcher ([`crate::format`]) and the JSON-LD processor
//! ([`crate::jsonld`]) need, kept below both so neither imports the other's internals: the
//! JSON-LD format value and the one way a parse's errors are reported.

use oxrdf::Quad;
use oxrdfio::{JsonLdProfileSet, RdfFormat};

/// JSON-LD without a requested profile: what a harvest asks oxrdfio for.
pub const JSONLD: RdfFormat = RdfFormat::JsonLd {
    profile: JsonLdProfileSet::empty(),
};

/// Every quad of a parse, or its first syntax error with line and column, named by `syntax`.
pub(crate) fn collect(
    quads: impl Iterator<Item = Result<Quad, oxrdfio::RdfSyntaxError>>,
    syntax: &str,
) -> Result<Vec<Quad>, String> {
    let mut out = Vec::new();
    for q in quads {
        match q {
            Ok(q) => out.push(q),
            Err(e) => {
                let at = e
                    .location()
                    .map(|r| {
                        format!(
                            " at line {}, column {}",
                            r.start.line + 1,
                            r.start.column + 1
                        )
                    })
                    .unwrap_or_default();
                return Err(format!("{syntax} syntax error{at}: {e}"));
            }
        }
    }
    Ok(out)
}
