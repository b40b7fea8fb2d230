//! What a danhmuc record is, with no I/O: how any incoming description becomes one (parsing
//! under limits, the main resource and its registry IRI, skolemised blank nodes, Unicode NFC),
//! what the registry adds to it ([`enrich`]), its canonical form and content hash, how it is
//! judged ([`shacl`], [`mqa`]), and the one date rule every layer uses ([`dates`]).
//!
//! Below the store and the services: nothing here reads a database, a file or the network,
//! so everything here is tested in-process and the compiler keeps it that way.

pub mod citation;
pub mod dates;
pub mod enrich;
mod model;
pub mod mqa;
pub mod rdf;
pub mod search;
pub mod services;
pub mod shacl;

pub use model::*;
