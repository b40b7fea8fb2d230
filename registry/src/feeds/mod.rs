//! Feeds for harvesters (R11): the paged DCAT-AP catalogue at `/catalog`, the change stream at
//! `/feed` (LDES, DCAT-AP Feeds), and schema.org renderings of datasets for search engines. Only PUBLIC published records appear.

pub mod catalog;
pub mod ckan;
pub mod ldes;
pub mod schema_org;
