-- Prepared JSON-LD of each content the log holds (by canonical hash): full-catalogue JSON-LD
-- exports copy these bytes instead of re-serialising every record. Derived data: a missing
-- row is computed from the canonical form when needed.
CREATE TABLE fragments (
    content_hash TEXT PRIMARY KEY,
    jsonld TEXT NOT NULL
);
