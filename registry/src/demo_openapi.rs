//! The endpoint descriptions (OpenAPI, Swagger) of the demo province's data services: served
//! by the registry at `/demo/openapi/{file}` and read in-process by the endpoint-description
//! refresher. Kept apart from the demo's records so the refresher (quality) and the pages need
//! nothing else of the demo.

/// The endpoint descriptions of the demo's services, served by the registry itself at
/// `/demo/openapi/{file}` (the province's LGSP hosts do not exist here) and read by the
/// endpoint-description refresher in-process ([`endpoint_description`]), so the demo's
/// services are found by what their APIs offer: (endpoint path, file, media type, body).
pub const DESCRIPTIONS: &[(&str, &str, &str, &str)] = &[
    (
        "/lgsp/doanh-nghiep/v1",
        "doanh-nghiep.yaml",
        "application/yaml",
        include_str!("../demo/openapi/doanh-nghiep.yaml"),
    ),
    (
        "/lgsp/dat-dai/v1",
        "dat-dai.yaml",
        "application/yaml",
        include_str!("../demo/openapi/dat-dai.yaml"),
    ),
    (
        "/lgsp/ho-so/v1",
        "ho-so.json",
        "application/json",
        include_str!("../demo/openapi/ho-so.json"),
    ),
    (
        "/api/quan-trac/v1",
        "quan-trac.yaml",
        "application/yaml",
        include_str!("../demo/openapi/quan-trac.yaml"),
    ),
    (
        "/api/du-lich/v1",
        "du-lich.json",
        "application/json",
        include_str!("../demo/openapi/du-lich.json"),
    ),
];

/// Where the demo serves its endpoint descriptions, under the registry's base.
pub const DESCRIPTIONS_PATH: &str = "/demo/openapi/";

/// A demo endpoint description by file name: (media type, body).
pub fn description_file(file: &str) -> Option<(&'static str, &'static str)> {
    DESCRIPTIONS
        .iter()
        .find(|d| d.1 == file)
        .map(|d| (d.2, d.3))
}

/// The demo description `url` names when it is one this registry serves itself (under `base`):
/// the refresher reads it without a network round trip, which a registry on a loopback
/// address would otherwise refuse as a private address.
pub fn endpoint_description(base: &str, url: &str) -> Option<(&'static str, &'static str)> {
    let file = url
        .strip_prefix(base.trim_end_matches('/'))?
        .strip_prefix(DESCRIPTIONS_PATH)?;
    description_file(file)
}
