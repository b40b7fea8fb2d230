//! One module per namespace; each term is a `NamedNodeRef<'static>` so that code can build
//! triples without parsing IRIs at run time (the oxigraph `vocab.rs` habit).

/// Declares a namespace module: its IRI prefix, its preferred prefix label and its terms.
macro_rules! namespace {
    ($(#[$meta:meta])* $module:ident, $prefix:literal, $iri:literal, { $($(#[$tmeta:meta])* $name:ident = $local:literal),* $(,)? }) => {
        $(#[$meta])*
        pub mod $module {
            use oxrdf::NamedNodeRef;
            /// The namespace IRI (terms are this prefix plus their local name).
            pub const NS: &str = $iri;
            /// The conventional prefix label used in Turtle and SPARQL.
            pub const PREFIX: &str = $prefix;
            $(
                $(#[$tmeta])*
                pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(concat!($iri, $local));
            )*
        }
    };
}

namespace!(
    /// RDF itself.
    rdf, "rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", {
    /// `rdf:type`
    TYPE = "type",
});
namespace!(
    /// RDF Schema.
    rdfs, "rdfs", "http://www.w3.org/2000/01/rdf-schema#", {
    /// `rdfs:label`
    LABEL = "label",
    /// `rdfs:comment`
    COMMENT = "comment",
    /// `rdfs:Class`
    CLASS = "Class",
    /// `rdfs:domain`
    DOMAIN = "domain",
    /// `rdfs:range`
    RANGE = "range",
    /// `rdfs:isDefinedBy`
    IS_DEFINED_BY = "isDefinedBy",
    /// `rdfs:Resource`
    RESOURCE = "Resource",
});
namespace!(
    /// XML Schema datatypes.
    xsd, "xsd", "http://www.w3.org/2001/XMLSchema#", {
    /// `xsd:dateTime`
    DATE_TIME = "dateTime",
    /// `xsd:date`
    DATE = "date",
    /// `xsd:boolean`
    BOOLEAN = "boolean",
    /// `xsd:integer`
    INTEGER = "integer",
    /// `xsd:decimal`
    DECIMAL = "decimal",
    /// `xsd:nonNegativeInteger`
    NON_NEGATIVE_INTEGER = "nonNegativeInteger",
});
namespace!(
    /// OWL, for the vocabulary header of `dcatvn:`.
    owl, "owl", "http://www.w3.org/2002/07/owl#", {
    /// `owl:Ontology`
    ONTOLOGY = "Ontology",
    /// `owl:sameAs`
    SAME_AS = "sameAs",
    /// `owl:DatatypeProperty`
    DATATYPE_PROPERTY = "DatatypeProperty",
    /// `owl:ObjectProperty`
    OBJECT_PROPERTY = "ObjectProperty",
    /// `owl:versionInfo`
    VERSION_INFO = "versionInfo",
});
namespace!(
    /// DCAT 3 (W3C Data Catalog Vocabulary).
    dcat, "dcat", "http://www.w3.org/ns/dcat#", {
    /// `dcat:Catalog`: a curated collection of metadata about resources.
    CATALOG = "Catalog",
    /// `dcat:Dataset`
    DATASET = "Dataset",
    /// `dcat:DataService`
    DATA_SERVICE = "DataService",
    /// `dcat:Distribution`
    DISTRIBUTION = "Distribution",
    /// `dcat:DatasetSeries`
    DATASET_SERIES = "DatasetSeries",
    /// `dcat:CatalogRecord`
    CATALOG_RECORD = "CatalogRecord",
    /// `dcat:Resource`
    RESOURCE = "Resource",
    /// `dcat:dataset`
    DATASET_PROP = "dataset",
    /// `dcat:service`
    SERVICE = "service",
    /// `dcat:catalog`
    CATALOG_PROP = "catalog",
    /// `dcat:distribution`
    DISTRIBUTION_PROP = "distribution",
    /// `dcat:accessURL`
    ACCESS_URL = "accessURL",
    /// `dcat:downloadURL`
    DOWNLOAD_URL = "downloadURL",
    /// `dcat:mediaType`
    MEDIA_TYPE = "mediaType",
    /// `dcat:byteSize`
    BYTE_SIZE = "byteSize",
    /// `dcat:keyword`
    KEYWORD = "keyword",
    /// `dcat:theme`
    THEME = "theme",
    /// `dcat:themeTaxonomy`
    THEME_TAXONOMY = "themeTaxonomy",
    /// `dcat:contactPoint`
    CONTACT_POINT = "contactPoint",
    /// `dcat:landingPage`
    LANDING_PAGE = "landingPage",
    /// `dcat:endpointURL`
    ENDPOINT_URL = "endpointURL",
    /// `dcat:endpointDescription`
    ENDPOINT_DESCRIPTION = "endpointDescription",
    /// `dcat:servesDataset`
    SERVES_DATASET = "servesDataset",
    /// `dcat:accessService`
    ACCESS_SERVICE = "accessService",
    /// `dcat:version`
    VERSION = "version",
    /// `dcat:temporalResolution`
    TEMPORAL_RESOLUTION = "temporalResolution",
    /// `dcat:spatialResolutionInMeters`
    SPATIAL_RESOLUTION_IN_METERS = "spatialResolutionInMeters",
    /// `dcat:compressFormat`
    COMPRESS_FORMAT = "compressFormat",
    /// `dcat:packageFormat`
    PACKAGE_FORMAT = "packageFormat",
    /// `dcat:record`
    RECORD_PROP = "record",
    /// `dcat:startDate`
    START_DATE = "startDate",
    /// `dcat:endDate`
    END_DATE = "endDate",
});
namespace!(
    /// DCAT-AP 3 (the European application profile's own terms).
    dcatap, "dcatap", "http://data.europa.eu/r5r/", {
    /// `dcatap:applicableLegislation`
    APPLICABLE_LEGISLATION = "applicableLegislation",
    /// `dcatap:availability`
    AVAILABILITY = "availability",
    /// `dcatap:hvdCategory`
    HVD_CATEGORY = "hvdCategory",
});
namespace!(
    /// Dublin Core terms.
    dct, "dct", "http://purl.org/dc/terms/", {
    /// `dct:title`
    TITLE = "title",
    /// `dct:description`
    DESCRIPTION = "description",
    /// `dct:identifier`
    IDENTIFIER = "identifier",
    /// `dct:issued`
    ISSUED = "issued",
    /// `dct:modified`
    MODIFIED = "modified",
    /// `dct:publisher`
    PUBLISHER = "publisher",
    /// `dct:creator`
    CREATOR = "creator",
    /// `dct:accessRights`
    ACCESS_RIGHTS = "accessRights",
    /// `dct:accrualPeriodicity`
    ACCRUAL_PERIODICITY = "accrualPeriodicity",
    /// `dct:license`
    LICENSE = "license",
    /// `dct:rights`
    RIGHTS = "rights",
    /// `dct:format`
    FORMAT = "format",
    /// `dct:language`
    LANGUAGE = "language",
    /// `dct:spatial`
    SPATIAL = "spatial",
    /// `dct:temporal`
    TEMPORAL = "temporal",
    /// `dct:conformsTo`
    CONFORMS_TO = "conformsTo",
    /// `dct:source`
    SOURCE = "source",
    /// `dct:type`
    TYPE = "type",
    /// `dct:LicenseDocument`
    LICENSE_DOCUMENT = "LicenseDocument",
    /// `dct:RightsStatement`
    RIGHTS_STATEMENT = "RightsStatement",
    /// `dct:MediaTypeOrExtent`
    MEDIA_TYPE_OR_EXTENT = "MediaTypeOrExtent",
    /// `dct:Location`
    LOCATION = "Location",
    /// `dct:Frequency`
    FREQUENCY = "Frequency",
    /// `dct:isPartOf`
    IS_PART_OF = "isPartOf",
    /// `dct:hasPart`
    HAS_PART = "hasPart",
    /// `dct:replaces`
    REPLACES = "replaces",
    /// `dct:isReplacedBy`
    IS_REPLACED_BY = "isReplacedBy",
    /// `dct:PeriodOfTime`
    PERIOD_OF_TIME = "PeriodOfTime",
    /// `dct:LicenseDocument` as a class is `LICENSE_DOCUMENT`; `dct:MediaType`
    MEDIA_TYPE_CLASS = "MediaType",
    /// `dct:Standard`
    STANDARD = "Standard",
    /// `dct:date`
    DATE = "date",
    /// `dct:LinguisticSystem`
    LINGUISTIC_SYSTEM = "LinguisticSystem",
});
namespace!(
    /// FOAF.
    foaf, "foaf", "http://xmlns.com/foaf/0.1/", {
    /// `foaf:Agent`
    AGENT = "Agent",
    /// `foaf:Organization`
    ORGANIZATION = "Organization",
    /// `foaf:name`
    NAME = "name",
    /// `foaf:homepage`
    HOMEPAGE = "homepage",
    /// `foaf:page`
    PAGE = "page",
    /// `foaf:mbox`
    MBOX = "mbox",
});
namespace!(
    /// vCard, for contact points.
    vcard, "vcard", "http://www.w3.org/2006/vcard/ns#", {
    /// `vcard:Kind`
    KIND = "Kind",
    /// `vcard:Organization`
    ORGANIZATION = "Organization",
    /// `vcard:Individual`
    INDIVIDUAL = "Individual",
    /// `vcard:fn`
    FN = "fn",
    /// `vcard:hasEmail`
    HAS_EMAIL = "hasEmail",
    /// `vcard:hasTelephone`
    HAS_TELEPHONE = "hasTelephone",
    /// `vcard:hasURL`
    HAS_URL = "hasURL",
});
namespace!(
    /// ADMS.
    adms, "adms", "http://www.w3.org/ns/adms#", {
    /// `adms:identifier`
    IDENTIFIER = "identifier",
    /// `adms:Identifier`
    IDENTIFIER_CLASS = "Identifier",
    /// `adms:status`
    STATUS = "status",
    /// `adms:versionNotes`
    VERSION_NOTES = "versionNotes",
    /// `adms:sample`
    SAMPLE = "sample",
});
namespace!(
    /// SKOS, for code lists.
    skos, "skos", "http://www.w3.org/2004/02/skos/core#", {
    /// `skos:Concept`
    CONCEPT = "Concept",
    /// `skos:ConceptScheme`
    CONCEPT_SCHEME = "ConceptScheme",
    /// `skos:prefLabel`
    PREF_LABEL = "prefLabel",
    /// `skos:altLabel`
    ALT_LABEL = "altLabel",
    /// `skos:notation`
    NOTATION = "notation",
    /// `skos:inScheme`
    IN_SCHEME = "inScheme",
    /// `skos:topConceptOf`
    TOP_CONCEPT_OF = "topConceptOf",
    /// `skos:hasTopConcept`
    HAS_TOP_CONCEPT = "hasTopConcept",
    /// `skos:definition`
    DEFINITION = "definition",
    /// `skos:exactMatch`
    EXACT_MATCH = "exactMatch",
});
namespace!(
    /// PROV-O.
    prov, "prov", "http://www.w3.org/ns/prov#", {
    /// `prov:wasGeneratedBy`
    WAS_GENERATED_BY = "wasGeneratedBy",
    /// `prov:wasDerivedFrom`
    WAS_DERIVED_FROM = "wasDerivedFrom",
    /// `prov:qualifiedAttribution`
    QUALIFIED_ATTRIBUTION = "qualifiedAttribution",
    /// `prov:generatedAtTime`
    GENERATED_AT_TIME = "generatedAtTime",
});
namespace!(
    /// The W3C Organization ontology, for agencies.
    org, "org", "http://www.w3.org/ns/org#", {
    /// `org:Organization`
    ORGANIZATION = "Organization",
    /// `org:subOrganizationOf`
    SUB_ORGANIZATION_OF = "subOrganizationOf",
    /// `org:identifier`
    IDENTIFIER = "identifier",
    /// `org:changedBy`
    CHANGED_BY = "changedBy",
    /// `org:resultedFrom`
    RESULTED_FROM = "resultedFrom",
    /// `org:ChangeEvent`
    CHANGE_EVENT = "ChangeEvent",
    /// `org:originalOrganization`
    ORIGINAL_ORGANIZATION = "originalOrganization",
    /// `org:resultingOrganization`
    RESULTING_ORGANIZATION = "resultingOrganization",
});
namespace!(
    /// Hydra, for paged collections.
    hydra, "hydra", "http://www.w3.org/ns/hydra/core#", {
    /// `hydra:PartialCollectionView`
    PARTIAL_COLLECTION_VIEW = "PartialCollectionView",
    /// `hydra:Collection`
    COLLECTION = "Collection",
    /// `hydra:totalItems`
    TOTAL_ITEMS = "totalItems",
    /// `hydra:first`
    FIRST = "first",
    /// `hydra:next`
    NEXT = "next",
    /// `hydra:previous`
    PREVIOUS = "previous",
    /// `hydra:last`
    LAST = "last",
    /// `hydra:view`
    VIEW = "view",
    /// `hydra:nextPage` (the 2013 vocabulary, still used by ckanext-dcat)
    NEXT_PAGE = "nextPage",
    /// `hydra:firstPage` (2013)
    FIRST_PAGE = "firstPage",
    /// `hydra:lastPage` (2013)
    LAST_PAGE = "lastPage",
    /// `hydra:previousPage` (2013)
    PREVIOUS_PAGE = "previousPage",
});
namespace!(
    /// Hydra under its older namespace, still found in paged DCAT endpoints.
    hydra_legacy, "hydra2013", "http://purl.org/hydra/core#", {
    /// `hydra:next`
    NEXT = "next",
    /// `hydra:nextPage`
    NEXT_PAGE = "nextPage",
    /// `hydra:totalItems`
    TOTAL_ITEMS = "totalItems",
});
namespace!(
    /// TREE, the fragmentation vocabulary of Linked Data Event Streams.
    tree, "tree", "https://w3id.org/tree#", {
    /// `tree:Node`
    NODE = "Node",
    /// `tree:view`
    VIEW = "view",
    /// `tree:member`
    MEMBER = "member",
    /// `tree:relation`
    RELATION = "relation",
    /// `tree:node`
    NODE_PROP = "node",
    /// `tree:path`
    PATH = "path",
    /// `tree:value`
    VALUE = "value",
    /// `tree:GreaterThanOrEqualToRelation`
    GREATER_THAN_OR_EQUAL_TO_RELATION = "GreaterThanOrEqualToRelation",
    /// `tree:GreaterThanRelation`
    GREATER_THAN_RELATION = "GreaterThanRelation",
    /// `tree:LessThanRelation`
    LESS_THAN_RELATION = "LessThanRelation",
    /// `tree:LessThanOrEqualToRelation`
    LESS_THAN_OR_EQUAL_TO_RELATION = "LessThanOrEqualToRelation",
    /// `tree:Relation`
    RELATION_CLASS = "Relation",
    /// `tree:shape`
    SHAPE = "shape",
});
namespace!(
    /// SPARQL 1.1 Service Description.
    sd, "sd", "http://www.w3.org/ns/sparql-service-description#", {
    /// `sd:Service`
    SERVICE = "Service",
    /// `sd:endpoint`
    ENDPOINT = "endpoint",
    /// `sd:supportedLanguage`
    SUPPORTED_LANGUAGE = "supportedLanguage",
    /// `sd:SPARQL11Query`
    SPARQL11_QUERY = "SPARQL11Query",
    /// `sd:resultFormat`
    RESULT_FORMAT = "resultFormat",
    /// `sd:feature`
    FEATURE = "feature",
    /// `sd:UnionDefaultGraph`
    UNION_DEFAULT_GRAPH = "UnionDefaultGraph",
    /// `sd:defaultDataset`
    DEFAULT_DATASET = "defaultDataset",
    /// `sd:Dataset`
    DATASET = "Dataset",
    /// `sd:defaultGraph`
    DEFAULT_GRAPH = "defaultGraph",
    /// `sd:Graph`
    GRAPH = "Graph",
});
namespace!(
    /// SHACL, for the shapes a stream declares its members to have.
    sh, "sh", "http://www.w3.org/ns/shacl#", {
    /// `sh:NodeShape`
    NODE_SHAPE = "NodeShape",
    /// `sh:targetClass`
    TARGET_CLASS = "targetClass",
    /// `sh:property`
    PROPERTY = "property",
    /// `sh:path`
    PATH = "path",
    /// `sh:minCount`
    MIN_COUNT = "minCount",
    /// `sh:maxCount`
    MAX_COUNT = "maxCount",
    /// `sh:nodeKind`
    NODE_KIND = "nodeKind",
    /// `sh:IRI`
    IRI = "IRI",
    /// `sh:datatype`
    DATATYPE = "datatype",
});
namespace!(
    /// Linked Data Event Streams.
    ldes, "ldes", "https://w3id.org/ldes#", {
    /// `ldes:EventStream`
    EVENT_STREAM = "EventStream",
    /// `ldes:timestampPath`
    TIMESTAMP_PATH = "timestampPath",
    /// `ldes:versionOfPath`
    VERSION_OF_PATH = "versionOfPath",
});
namespace!(
    /// ActivityStreams 2.0, the activities of DCAT-AP Feeds.
    activity, "as", "https://www.w3.org/ns/activitystreams#", {
    /// `as:Create`
    CREATE = "Create",
    /// `as:Update`
    UPDATE = "Update",
    /// `as:Delete`
    DELETE = "Delete",
    /// `as:Remove`
    REMOVE = "Remove",
    /// `as:object`
    OBJECT = "object",
    /// `as:published`
    PUBLISHED = "published",
});
namespace!(
    /// SPDX, for checksums.
    spdx, "spdx", "http://spdx.org/rdf/terms#", {
    /// `spdx:checksum`
    CHECKSUM = "checksum",
    /// `spdx:Checksum`
    CHECKSUM_CLASS = "Checksum",
    /// `spdx:checksumValue`
    CHECKSUM_VALUE = "checksumValue",
    /// `spdx:algorithm`
    ALGORITHM = "algorithm",
});
namespace!(
    /// EU access-right authority table (PUBLIC, RESTRICTED, NON_PUBLIC).
    access_right, "accessright", "http://publications.europa.eu/resource/authority/access-right/", {
    /// Everyone may see the record.
    PUBLIC = "PUBLIC",
    /// Any authenticated state agency may see the record.
    RESTRICTED = "RESTRICTED",
    /// Only the owner, admins and agencies the record names may see it.
    NON_PUBLIC = "NON_PUBLIC",
});
namespace!(
    /// EU frequency authority table.
    frequency, "freq", "http://publications.europa.eu/resource/authority/frequency/", {
    /// daily
    DAILY = "DAILY",
    /// weekly
    WEEKLY = "WEEKLY",
    /// monthly
    MONTHLY = "MONTHLY",
    /// quarterly
    QUARTERLY = "QUARTERLY",
    /// twice a year
    ANNUAL_2 = "ANNUAL_2",
    /// yearly
    ANNUAL = "ANNUAL",
    /// irregular
    IRREG = "IRREG",
    /// never updated
    NEVER = "NEVER",
    /// continuously updated
    UPDATE_CONT = "UPDATE_CONT",
});
namespace!(
    /// EU file-type authority table.
    file_type, "filetype", "http://publications.europa.eu/resource/authority/file-type/", {
    /// CSV
    CSV = "CSV",
    /// JSON
    JSON = "JSON",
    /// XLSX
    XLSX = "XLSX",
    /// PDF
    PDF = "PDF",
});
namespace!(
    /// The Vietnamese extension: catalogue-of-databases fields (R1), sharing modes (R3),
    /// legal basis and fees (R2). Defined in `vocab/dcatvn.ttl`.
    dcatvn, "dcatvn", "https://w3id.org/dcat-vn#", {
    /// Objective of a database in the catalogue of databases (mục tiêu).
    OBJECTIVE = "objective",
    /// Scope of the database (phạm vi).
    SCOPE = "scope",
    /// Master data held (dữ liệu chủ).
    MASTER_DATA = "masterData",
    /// Target users (đối tượng sử dụng).
    TARGET_USERS = "targetUsers",
    /// Purpose of use (mục đích sử dụng).
    PURPOSE = "purpose",
    /// Information sources (nguồn thông tin).
    INFORMATION_SOURCE = "informationSource",
    /// Update plan (kế hoạch cập nhật).
    UPDATE_PLAN = "updatePlan",
    /// Sharing method (phương thức chia sẻ).
    SHARING_METHOD = "sharingMethod",
    /// Sharing mode of a service or database: default or specific-request.
    SHARING_MODE = "sharingMode",
    /// Default sharing (chia sẻ mặc định).
    DEFAULT_SHARING = "DefaultSharing",
    /// Sharing on specific request (chia sẻ theo yêu cầu đặc thù).
    SPECIFIC_REQUEST_SHARING = "SpecificRequestSharing",
    /// Class of sharing modes.
    SHARING_MODE_CLASS = "SharingMode",
    /// Legal basis (căn cứ pháp lý).
    LEGAL_BASIS = "legalBasis",
    /// Fee (phí, lệ phí).
    FEE = "fee",
    /// Whether use is free of charge.
    FREE_OF_CHARGE = "freeOfCharge",
    /// An agency that a NON_PUBLIC record is shared with.
    SHARED_WITH = "sharedWith",
    /// Marks a record as a catalogue-of-databases entry (danh mục cơ sở dữ liệu).
    DATABASE_ENTRY = "DatabaseEntry",
    /// The short code of an agency.
    AGENCY_CODE = "agencyCode",
    /// Province code list (34 provinces after 2025).
    PROVINCE = "Province",
});

#[cfg(test)]
mod tests {
    #[test]
    fn terms_are_prefix_plus_local_name() {
        assert_eq!(
            super::dcat::DATASET.as_str(),
            "http://www.w3.org/ns/dcat#Dataset"
        );
        assert!(
            super::dcatvn::OBJECTIVE
                .as_str()
                .starts_with(super::dcatvn::NS)
        );
        assert_eq!(
            super::access_right::NON_PUBLIC.as_str(),
            "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC"
        );
    }
}
namespace!(
    /// ISA Programme Location Core Vocabulary, for geometries.
    locn, "locn", "http://www.w3.org/ns/locn#", {
    /// `locn:geometry`
    GEOMETRY = "geometry",
});
