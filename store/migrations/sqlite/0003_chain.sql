-- Tamper evidence: every change-log entry carries the hash of the previous entry and its own
-- hash over all its columns (see registry/src/store/chain.rs); `danhmuc audit verify` checks
-- the chain.
ALTER TABLE versions ADD COLUMN prev_hash TEXT;
ALTER TABLE versions ADD COLUMN entry_hash TEXT;
