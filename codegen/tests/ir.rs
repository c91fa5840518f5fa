//! The mapping rules, asserted on the IR rather than on generated text.

use specwright_codegen::ir::{Service, TypeKind, TypeRef};
use specwright_codegen::{Settings, load_str, lower};

fn service(yaml: &str) -> Service {
    let loaded = load_str(yaml, "test").unwrap_or_else(|e| panic!("{e}"));
    lower(&loaded, &Settings::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn fixture(name: &str) -> Service {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/specs")
        .join(format!("{name}.yaml"));
    service(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}")))
}

fn kind<'a>(s: &'a Service, name: &str) -> &'a TypeKind {
    &s.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
        .kind
}

#[test]
fn wire_names_become_snake_case_fields_in_spec_order() {
    let s = fixture("wire_names");
    let TypeKind::Struct { fields, .. } = kind(&s, "Volume") else {
        panic!("Volume is not a struct")
    };
    let names: Vec<(&str, &str)> = fields
        .iter()
        .map(|f| (f.wire.as_str(), f.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("os-vol-host-attr:host", "os_vol_host_attr_host"),
            ("__os_type", "os_type"),
            ("media-types", "media_types"),
            ("imageRef", "image_ref"),
            // Settled in the IR: raw where Rust allows it, else with an `_` and a rename.
            ("type", "r#type"),
            ("self", "self_"),
            ("os_vol_host_attr_host_copy", "host_copy"),
        ]
    );
}

#[test]
fn tagged_oneof_gets_variants_and_client_methods() {
    let s = fixture("tagged_oneof");
    let TypeKind::Tagged { variants } = kind(&s, "Action") else {
        panic!("Action is not tagged")
    };
    let keys: Vec<&str> = variants.iter().map(|v| v.key.as_str()).collect();
    assert_eq!(keys, ["os-extend", "os-reserve", "os-volume_upload_image"]);
    let op = &s.operations[0];
    let methods: Vec<&str> = op.actions.iter().map(|a| a.method.as_str()).collect();
    assert_eq!(
        methods,
        ["extend_volume", "reserve_volume", "os_volume_upload_image"]
    );
    // 202 without a body and 200 with one: an outcome enum; 400 with a body and 404 without: an error enum.
    assert_eq!(op.outcome_type.as_deref(), Some("VolumeActionOutcome"));
    assert_eq!(op.error_type.as_deref(), Some("VolumeActionError"));
}

#[test]
fn untagged_variants_are_ordered_most_specific_first() {
    let s = fixture("untagged_oneof");
    let TypeKind::Untagged { variants } = kind(&s, "CreateImage") else {
        panic!("not untagged")
    };
    let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names[0], "FromFileWithChecksum", "{names:?}");
}

#[test]
fn all_of_merges_properties_and_required() {
    let s = fixture("all_of");
    let TypeKind::Struct { fields, .. } = kind(&s, "Pet") else {
        panic!("Pet is not a struct")
    };
    let names: Vec<(&str, bool)> = fields.iter().map(|f| (f.name.as_str(), f.required)).collect();
    assert_eq!(names, [("name", true), ("kind", false), ("id", true)]);
    // The inline enum reached from both NewPet and Pet is one type, not two.
    let kinds = s
        .types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::StringEnum { .. }))
        .count();
    assert_eq!(kinds, 1);
}

#[test]
fn maps_become_btreemaps_and_free_objects_json() {
    let s = fixture("maps");
    assert_eq!(
        kind(&s, "Metadata"),
        &TypeKind::Alias(TypeRef::Map(Box::new(TypeRef::String)))
    );
    let TypeKind::Struct { fields, .. } = kind(&s, "MetadataBody") else {
        panic!()
    };
    assert_eq!(fields[1].ty, TypeRef::Map(Box::new(TypeRef::I64)));
    assert_eq!(fields[2].ty, TypeRef::JsonObject);
    let TypeKind::Struct { additional, .. } = kind(&s, "Labelled") else {
        panic!()
    };
    assert_eq!(additional, &Some(TypeRef::String));
}

#[test]
fn client_params_are_held_by_the_client() {
    let s = fixture("optional_nullable");
    assert!(s.client_params.is_empty());
    let yaml = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /v2/{project_id}/volumes:
    get:
      operationId: listVolumes
      parameters: [{name: project_id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
"#;
    // No parameter is held unless asked for: the default is neutral.
    assert!(service(yaml).client_params.is_empty());
    let settings = Settings {
        client_params: vec!["project_id".into()],
        ..Settings::default()
    };
    let loaded = load_str(yaml, "test").unwrap_or_else(|e| panic!("{e}"));
    let s = lower(&loaded, &settings).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.client_params.len(), 1);
    assert_eq!(s.client_params[0].wire, "project_id");
}

#[test]
fn an_operation_without_documented_success_accepts_any_2xx() {
    let yaml = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /logout:
    get:
      operationId: logout
      responses: {default: {description: successful operation}}
  /form:
    post:
      operationId: form
      responses: {"400": {description: Invalid input}}
"#;
    let s = service(yaml);
    for op in &s.operations {
        let success: Vec<_> = op.responses.iter().filter(|r| r.success).collect();
        assert_eq!(success.len(), 1, "{}", op.id);
        assert_eq!(success[0].status, specwright_codegen::ir::StatusMatch::Range(2));
    }
}

#[test]
fn a_parameter_shared_through_components_gets_one_type_named_after_it() {
    let s = service(
        r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: listA
      parameters:
      - $ref: '#/components/parameters/sort_dir'
      - {name: order, in: query, schema: {type: string, enum: [up, down]}}
      responses: {'200': {description: ok}}
  /b:
    get:
      operationId: listB
      parameters:
      - $ref: '#/components/parameters/sort_dir'
      responses: {'200': {description: ok}}
components:
  parameters:
    sort_dir:
      name: sort_dir
      in: query
      schema: {type: string, enum: [asc, desc]}
"#,
    );
    let types: Vec<&str> = s.types.iter().map(|t| t.name.as_str()).collect();
    assert!(types.contains(&"SortDir"), "{types:?}");
    assert!(
        types.contains(&"ListAOrder"),
        "a parameter of one operation keeps its name: {types:?}"
    );
    assert!(
        !types.iter().any(|t| t.ends_with("SortDir") && *t != "SortDir"),
        "{types:?}"
    );
    for op in &s.operations {
        let p = op
            .optional_params
            .iter()
            .find(|p| p.wire == "sort_dir")
            .unwrap_or_else(|| panic!("{} lost sort_dir", op.name));
        assert_eq!(p.ty, TypeRef::Named("SortDir".into()), "{}", op.name);
    }
}

#[test]
fn a_reference_to_a_nullable_schema_is_nullable() {
    let s = service(
        r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Kind:
      type: object
      nullable: true
      properties: {id: {type: string}}
    Holder:
      type: object
      required: [kind]
      properties:
        kind: {$ref: '#/components/schemas/Kind'}
        plain: {$ref: '#/components/schemas/Other'}
    Other:
      type: object
      properties: {id: {type: string}}
"#,
    );
    let TypeKind::Struct { fields, .. } = kind(&s, "Holder") else {
        panic!("Holder is not a struct")
    };
    let nullable: Vec<(&str, bool)> = fields.iter().map(|f| (f.wire.as_str(), f.nullable)).collect();
    assert_eq!(nullable, [("kind", true), ("plain", false)]);
}

#[test]
fn a_json_content_parameter_is_typed_by_its_schema_and_sent_as_json() {
    let s = service(
        r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - name: metadata
          in: query
          content:
            application/json:
              schema: {type: object, additionalProperties: {type: string}}
      responses: {"200": {description: ok}}
"#,
    );
    let p = &s.operations[0].optional_params[0];
    assert!(p.json, "{p:?}");
    assert!(matches!(p.ty, TypeRef::Map(_)), "{:?}", p.ty);
}

#[test]
fn a_json_body_with_an_empty_alternative_may_be_absent() {
    let s = service(
        r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /act:
    post:
      operationId: act
      responses:
        "202":
          description: with or without a body
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
            text/plain:
              schema: {type: string, maxLength: 0}
        "200":
          description: always a body
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
"#,
    );
    let optional: Vec<bool> = s.operations[0]
        .responses
        .iter()
        .map(|r| r.body_optional)
        .collect();
    assert_eq!(optional, [true, false]);
}

#[test]
fn paged_lists_are_recognised_by_marker_token_or_offset() {
    let s = service(
        r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: marker, in: query, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [things]
                properties:
                  things: {type: array, items: {$ref: '#/components/schemas/Thing'}}
                  things_links: {type: array, items: {$ref: '#/components/schemas/Link'}}
  /tokens:
    get:
      operationId: listByToken
      parameters:
        - {name: pageToken, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {type: array, items: {$ref: '#/components/schemas/Thing'}}
                  nextPageToken: {type: string}
  /offsets:
    get:
      operationId: listByOffset
      parameters:
        - {name: offset, in: query, schema: {type: integer, format: int32}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  results: {type: array, items: {$ref: '#/components/schemas/Thing'}}
  /plain:
    get:
      operationId: listPlain
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {things: {type: array, items: {$ref: '#/components/schemas/Thing'}}}}
components:
  schemas:
    Thing: {type: object, properties: {id: {type: string}}}
    Link: {type: object, properties: {rel: {type: string}, href: {type: string}}}
"#,
    );
    use specwright_codegen::ir::PagingRule;
    let rule = |id: &str| {
        s.operations
            .iter()
            .find(|o| o.id == id)
            .and_then(|o| o.paging.as_ref())
            .map(|p| p.rule.clone())
    };
    assert_eq!(
        rule("listThings"),
        Some(PagingRule::Marker {
            param: "marker".into(),
            id: "id".into(),
            links: Some("things_links".into())
        })
    );
    assert_eq!(
        rule("listByToken"),
        Some(PagingRule::Token {
            param: "page_token".into(),
            next: "nextPageToken".into()
        })
    );
    assert_eq!(
        rule("listByOffset"),
        Some(PagingRule::Offset {
            param: "offset".into()
        })
    );
    assert_eq!(rule("listPlain"), None);
}

#[test]
fn string_formats_are_typed_in_models_unless_turned_off_and_parameters_stay_text() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/specs/formats.yaml");
    let yaml = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    let field_types = |typed: bool| {
        let loaded = load_str(&yaml, "test").unwrap_or_else(|e| panic!("{e}"));
        let settings = Settings {
            typed_formats: typed,
            ..Settings::default()
        };
        let s = lower(&loaded, &settings).unwrap_or_else(|e| panic!("{e}"));
        let op = &s.operations[0];
        assert!(
            op.path_params
                .iter()
                .chain(&op.optional_params)
                .all(|p| p.ty == TypeRef::String)
        );
        let TypeKind::Struct { fields, .. } = kind(&s, "Record") else {
            panic!("Record is not a struct")
        };
        fields
            .iter()
            .map(|f| (f.wire.clone(), f.ty.clone()))
            .collect::<Vec<_>>()
    };
    use specwright_codegen::ir::StringFormat;
    let typed = field_types(true);
    assert_eq!(typed[0], ("id".into(), TypeRef::Formatted(StringFormat::Uuid)));
    assert_eq!(
        typed[1],
        ("created_at".into(), TypeRef::Formatted(StringFormat::DateTime))
    );
    assert_eq!(
        typed[3],
        ("birthday".into(), TypeRef::Formatted(StringFormat::Date))
    );
    assert_eq!(
        typed[4],
        ("payload".into(), TypeRef::Formatted(StringFormat::Base64))
    );
    assert_eq!(
        typed[5],
        ("file".into(), TypeRef::String),
        "binary in JSON is text"
    );
    let plain = field_types(false);
    assert!(
        plain
            .iter()
            .all(|(_, ty)| !format!("{ty:?}").contains("Formatted")),
        "{plain:?}"
    );
}

#[test]
fn a_discriminator_makes_a_tagged_enum_or_falls_back_with_a_note() {
    let s = fixture("discriminator");
    let TypeKind::Discriminated { tag, variants } = kind(&s, "Pet") else {
        panic!("Pet is not discriminated")
    };
    assert_eq!(tag, "pet_type");
    let pairs: Vec<(&str, &str)> = variants
        .iter()
        .map(|v| (v.name.as_str(), v.value.as_str()))
        .collect();
    assert_eq!(pairs, [("Cat", "cat"), ("Dog", "dog"), ("Hound", "hound")]);
    let TypeKind::Discriminated { variants, .. } = kind(&s, "Shape") else {
        panic!("Shape is not discriminated")
    };
    assert_eq!(variants[0].value, "Circle", "no mapping: the schema's name");
    // The variant's tag is no longer a field to fill.
    let TypeKind::Struct { fields, .. } = kind(&s, "Car") else {
        panic!("Car is not a struct")
    };
    assert!(fields.iter().any(|f| f.wire == "type" && !f.required));
    assert!(!matches!(kind(&s, "Mixed"), TypeKind::Discriminated { .. }));
    let noted = |at: &str| s.notes.iter().any(|n| n.pointer == at);
    assert!(noted("/components/schemas/Mixed/discriminator"));
    // A base others extend (Swagger's inheritance): the enum of its kinds.
    let TypeKind::Discriminated { tag, variants } = kind(&s, "Animal") else {
        panic!("Animal is not discriminated")
    };
    assert_eq!(
        (tag.as_str(), variants.len(), variants[0].value.as_str()),
        ("animal_type", 1, "Lion")
    );
    let TypeKind::Discriminated { variants, .. } = kind(&s, "Task") else {
        panic!("Task is not discriminated")
    };
    let pairs: Vec<(&str, &str)> = variants
        .iter()
        .map(|v| (v.name.as_str(), v.value.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("BuildTask", "build"),
            ("TestTask", "TestTask"),
            ("NightlyTask", "nightly"),
            ("HourlyTask", "hourly")
        ],
        "SameTask renames the base; QueuedTask is a middle"
    );
    let TypeKind::Struct { fields, .. } = kind(&s, "TestTask") else {
        panic!("TestTask is not a struct")
    };
    assert!(fields.iter().any(|f| f.wire == "task_type" && !f.required));
    assert!(fields.iter().any(|f| f.wire == "suite" && f.required));
    // A base of its own below a base: its kinds are the outer base's; a renaming is none.
    for base in ["Device", "Phone"] {
        let TypeKind::Discriminated { variants, .. } = kind(&s, base) else {
            panic!("{base} is not discriminated")
        };
        let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["SmartPhone"], "{base}");
    }
    assert!(noted("/components/schemas/Gadget/discriminator"));
    assert!(matches!(kind(&s, "Lone"), TypeKind::Struct { .. }));
    assert!(noted("/components/schemas/Lone/discriminator"));
    assert!(!noted("/components/schemas/Animal/discriminator"));
}

#[test]
fn security_requirements_override_empty_or_and() {
    let s = fixture("security");
    let of = |id: &str| {
        s.operations
            .iter()
            .find(|o| o.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
            .security
            .clone()
    };
    let strs = |v: &[&[&str]]| -> Vec<Vec<String>> {
        v.iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect()
    };
    assert_eq!(of("getDefault"), strs(&[&["bearer"]]), "the document's");
    assert_eq!(of("getPublic"), strs(&[]), "`security: []`");
    assert_eq!(of("getEither"), strs(&[&["api_key_header"], &["api_key_query"]]));
    assert_eq!(of("getBoth"), strs(&[&["session", "basic"]]));
    assert_eq!(of("getOptional"), strs(&[&[], &["api_key_header"]]));
    let setters: Vec<(&str, Option<&str>, Option<&str>)> = s
        .security_schemes
        .iter()
        .map(|k| (k.key.as_str(), k.setter.as_deref(), k.token_setter.as_deref()))
        .collect();
    assert_eq!(
        setters,
        [
            ("api_key_header", Some("with_api_key_header"), None),
            ("api_key_query", Some("with_api_key_query"), None),
            ("session", Some("with_session"), None),
            ("bearer", Some("with_bearer"), None),
            ("basic", Some("with_basic"), None),
            ("oauth", Some("with_oauth"), Some("with_oauth_token")),
            ("openid", None, Some("with_openid_token")),
        ],
        "`digest` is left out"
    );
    let pointers: Vec<&str> = s.notes.iter().map(|n| n.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/securitySchemes/openid",
            "/components/securitySchemes/digest/scheme"
        ]
    );
}

#[test]
fn schemes_that_cannot_be_sent_are_notes_with_their_pointer_never_a_panic() {
    let s = service(
        r#"
openapi: 3.0.3
info: {title: t, version: "1"}
security: [{nowhere: []}]
paths:
  /a:
    get:
      operationId: a
      security: [{bad_header: [], ghost: []}]
      responses: {'200': {description: ok}}
  /b:
    get:
      operationId: b
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    bad_header: {type: apiKey, in: header, name: "X Bad"}
    empty_cookie: {type: apiKey, in: cookie, name: ""}
    no_token_url: {type: oauth2, flows: {clientCredentials: {tokenUrl: "", scopes: {}}}}
    implicit_only: {type: oauth2, flows: {implicit: {authorizationUrl: "https://x/a", scopes: {}}}}
    transport: {type: http, scheme: bearer}
"#,
    );
    let notes: Vec<&str> = s.notes.iter().map(|n| n.pointer.as_str()).collect();
    for pointer in [
        "/components/securitySchemes/bad_header/name",
        "/components/securitySchemes/empty_cookie/name",
        "/components/securitySchemes/no_token_url/flows/clientCredentials/tokenUrl",
        "/components/securitySchemes/implicit_only/flows",
        "/paths/~1a/get/security/0/ghost",
        "/security/0/nowhere",
    ] {
        assert!(notes.contains(&pointer), "{pointer} not in {notes:?}");
    }
    // `/b` reads the document's `security`; its undeclared scheme is noted once.
    assert_eq!(notes.iter().filter(|p| **p == "/security/0/nowhere").count(), 1);
    let setters: Vec<Option<&str>> = s.security_schemes.iter().map(|k| k.setter.as_deref()).collect();
    // `with_transport` is free: only `transport` is the client's own.
    assert_eq!(setters, [None, None, Some("with_transport")]);
}

#[test]
fn a_scheme_the_typed_model_refuses_is_located() {
    let yaml = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  securitySchemes:
    fine: {type: http, scheme: basic}
    broken: {type: apiKey, in: header}
"#;
    let Err(e) = load_str(yaml, "test") else {
        panic!("an apiKey without a name loaded")
    };
    assert!(
        e.to_string().contains("/components/securitySchemes/broken"),
        "{e}"
    );
    // A reference to nothing is refused, as every unresolved `$ref` is.
    let yaml = yaml.replace(
        "broken: {type: apiKey, in: header}",
        "referenced: {$ref: '#/components/securitySchemes/nothing'}",
    );
    let loaded = load_str(&yaml, "test").unwrap_or_else(|e| panic!("{e}"));
    let Err(e) = lower(&loaded, &Settings::default()) else {
        panic!("a reference to nothing was lowered")
    };
    assert!(
        e.to_string().contains("/components/securitySchemes/referenced"),
        "{e}"
    );
}

/// Whether the service defines a type of this name.
fn defines(s: &Service, name: &str) -> bool {
    s.types.iter().any(|t| t.name == name)
}

/// The type of field `wire` of struct `name`.
fn field_type<'a>(s: &'a Service, name: &str, wire: &str) -> &'a TypeRef {
    let TypeKind::Struct { fields, .. } = kind(s, name) else {
        panic!("{name} is not a struct")
    };
    &fields
        .iter()
        .find(|f| f.wire == wire)
        .unwrap_or_else(|| panic!("no field {name}.{wire}"))
        .ty
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.into())
}

#[test]
fn inline_schemas_written_twice_become_one_type() {
    let s = fixture("repeats");
    // The same enum under four names: one definition, kept by the shortest name.
    assert!(matches!(
        kind(&s, "AppPermissionsIssues"),
        TypeKind::StringEnum { .. }
    ));
    for gone in [
        "AppPermissionsContents",
        "HookPermissionsIssues",
        "HookPermissionsContents",
    ] {
        assert!(!defines(&s, gone), "{gone} is still defined");
    }
    assert_eq!(
        field_type(&s, "AppPermissions", "contents"),
        &named("AppPermissionsIssues")
    );
    // Same values in another order are another type, merged with its own twin in `Hook`.
    assert!(matches!(
        kind(&s, "AppPermissionsPages"),
        TypeKind::StringEnum { .. }
    ));
    assert!(!defines(&s, "HookPermissionsPages"));
    // Objects compare field by field, the types they hold compared the same way.
    assert_eq!(field_type(&s, "Hook", "permissions"), &named("AppPermissions"));
    assert_eq!(field_type(&s, "Hook", "owner"), &named("AppOwner"));
    assert!(!defines(&s, "HookPermissions") && !defines(&s, "HookOwner"));
    // A field's doc differs: kept apart.
    assert!(matches!(kind(&s, "HookSender"), TypeKind::Struct { .. }));
    // Components keep their definitions, even when alike.
    assert!(matches!(kind(&s, "Owner"), TypeKind::Struct { .. }));
    assert!(matches!(kind(&s, "Twin"), TypeKind::Struct { .. }));
    // Inline types on a cycle merge too; the one kept stays boxed where it holds itself.
    assert_eq!(field_type(&s, "ChainB", "link"), &named("ChainALink"));
    let TypeKind::Struct { fields, .. } = kind(&s, "ChainALink") else {
        panic!("ChainALink is not a struct")
    };
    assert!(fields[0].boxed, "{fields:?}");
    assert_eq!(fields[0].ty, named("ChainALink"));
}

#[test]
fn a_repeat_is_kept_by_the_shortest_name() {
    let s = service(
        r#"
openapi: 3.0.3
info: { title: t, version: "1" }
paths: {}
components:
  schemas:
    LongerParent:
      type: object
      properties:
        state: { type: string, enum: [on, off] }
    P:
      type: object
      properties:
        state: { type: string, enum: [on, off] }
"#,
    );
    assert!(matches!(kind(&s, "PState"), TypeKind::StringEnum { .. }));
    assert!(!defines(&s, "LongerParentState"));
    assert_eq!(field_type(&s, "LongerParent", "state"), &named("PState"));
}

#[test]
fn a_repeat_the_spec_named_keeps_its_name_and_a_note_counts_the_merged() {
    let s = service(
        r#"
openapi: 3.0.3
info: { title: t, version: "1" }
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        inner: { x-rust-name: NewVolume, type: object, properties: { name: { type: string } } }
    B:
      type: object
      properties:
        inner: { type: object, properties: { name: { type: string } } }
    C:
      type: object
      properties:
        inner: { type: object, properties: { name: { type: string } } }
"#,
    );
    // `BInner` is shorter, but `NewVolume` was chosen: it stays a type of its own.
    assert!(matches!(kind(&s, "NewVolume"), TypeKind::Struct { .. }));
    assert_eq!(field_type(&s, "A", "inner"), &named("NewVolume"));
    assert_eq!(field_type(&s, "C", "inner"), &named("BInner"));
    let notes: Vec<&str> = s
        .notes
        .iter()
        .filter(|n| n.message.contains("repeat"))
        .map(|n| n.message.as_str())
        .collect();
    assert_eq!(
        notes,
        ["1 inline schema(s) repeat another's definition and are its type (`CInner` is `BInner`)"]
    );
}
