//! Paths → operations: parameters, bodies, responses and the client's method names.

use super::*;
use specwright_oas::template;

/// Names the generated method uses itself: an argument spelled so is settled with a suffix.
const ARGUMENT_NAMES: [&str; 7] = ["body", "options", "params", "path", "query", "request", "raw"];

impl Lower<'_> {
    pub(super) fn operations(
        &mut self,
        client_params: &mut Vec<Param>,
        mut method_names: HashMap<String, String>,
    ) -> Vec<Operation> {
        let mut out: Vec<Operation> = Vec::new();
        let mut helper_owners: HashMap<String, String> = HashMap::new();
        // operationId → the operation that has it.
        let mut ids: HashMap<String, String> = HashMap::new();
        // One path item typed at a time (`Loaded::api` holds none).
        let raw = self.raw;
        for (path, item) in crate::load::path_items(raw) {
            let item_at = join("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    match self.resolve::<openapiv3::PathItem>(&reference, &item_at) {
                        Some((found, _)) => found,
                        None => continue,
                    }
                }
            };
            let item = &item;
            for (method, op) in item.iter() {
                let at = join(&item_at, method);
                if let Some(id) = op.operation_id.as_deref() {
                    match ids.get(id) {
                        Some(other) => self.diags.push(
                            Diagnostic::new(
                                join(&at, "operationId"),
                                format!("operationId `{id}` is also the id of {other}"),
                            )
                            .hint("give each operation an operationId of its own"),
                        ),
                        None => {
                            ids.insert(id.to_string(), format!("{} {path}", method.to_uppercase()));
                        }
                    }
                }
                if let Some(mut op) = self.operation(path, method, op, &item.parameters, &at, client_params) {
                    // An action helper already named for another operation's action (the
                    // same body variant under a second path) takes this operation's suffix.
                    for a in &mut op.actions {
                        if let Some(other) = helper_owners.get(&a.method) {
                            a.method = helper_with_suffix(&a.method, &op.name, other);
                        }
                        helper_owners.insert(a.method.clone(), op.name.clone());
                    }
                    op.name = self.claim_method(&mut method_names, &op.name, &at);
                    for a in &mut op.actions {
                        let this = format!("{at} (action {})", a.variant);
                        a.method = self.claim_method(&mut method_names, &a.method, &this);
                    }
                    out.push(op);
                }
            }
        }
        out
    }

    /// Reserves a client method name for what `at` generates; a name already taken is
    /// settled with a suffix (`get_pet_2`), and a note says so.
    pub(super) fn claim_method(
        &mut self,
        taken: &mut HashMap<String, String>,
        name: &str,
        at: &str,
    ) -> String {
        let settled = names::unique(name, |n| taken.contains_key(n));
        if settled != name {
            self.diags.push(
                Diagnostic::note(
                    at,
                    format!(
                        "client method `{settled}`: `{name}` is generated for {}",
                        taken[name]
                    ),
                )
                .hint("change an `operationId`, or set `x-rust-method`"),
            );
        }
        taken.insert(settled.clone(), at.to_string());
        settled
    }

    pub(super) fn operation(
        &mut self,
        path: &str,
        method: &str,
        op: &openapiv3::Operation,
        shared_params: &[ReferenceOr<Parameter>],
        at: &str,
        client_params: &mut Vec<Param>,
    ) -> Option<Operation> {
        let id = match &op.operation_id {
            Some(id) if !id.trim().is_empty() => id.clone(),
            _ => format!("{method}_{path}"),
        };
        let name = self
            .given_name(&op.extensions, "x-rust-method", at)
            .unwrap_or_else(|| names::field(&id));
        let type_prefix = names::type_name(&id);

        let mut resolved = |list: &[ReferenceOr<Parameter>], list_at: &str| -> Vec<(Parameter, String)> {
            let resolve = |(i, p): (usize, &ReferenceOr<Parameter>)| {
                let p_at = format!("{list_at}/{i}");
                match p {
                    ReferenceOr::Item(p) => Some((p.clone(), p_at)),
                    ReferenceOr::Reference { reference } => self.resolve::<Parameter>(reference, &p_at),
                }
            };
            list.iter().enumerate().filter_map(resolve).collect()
        };
        let shared = resolved(shared_params, &join(&join("/paths", path), "parameters"));
        let own = resolved(&op.parameters, &join(at, "parameters"));
        let params = specwright_oas::parameters::effective(shared, own, |(p, _)| {
            (p.parameter_data_ref().name.clone(), std::mem::discriminant(p))
        });

        let mut path_params = Vec::new();
        let mut required_params = Vec::new();
        let mut optional_params = Vec::new();
        for (p, p_at) in &params {
            let location = match p {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => {
                    self.diags.push(
                        Diagnostic::note(p_at, "a cookie parameter: left out of the method's arguments")
                            .hint("send cookies through a reqwest client with a cookie store (Transport::builder().http_client(..))"),
                    );
                    continue;
                }
            };
            let data = p.parameter_data_ref();
            if location == ParamLocation::Header
                && RUNTIME_HEADERS.contains(&data.name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            let hint = self.parameter_type_hint(p_at, type_prefix.as_str(), &data.name);
            let (ty, json) = match &data.format {
                // A parameter is text the caller has (an id from an earlier answer): a
                // typed format would only ask for a conversion.
                ParameterSchemaOrContent::Schema(s) => {
                    (self.type_ref(s, &hint, &join(p_at, "schema")).untyped(), false)
                }
                // `content: application/json`: the value is sent as JSON text, objects included.
                ParameterSchemaOrContent::Content(content) => {
                    let Some((ct, media)) = content.iter().find(|(ct, _)| is_json(ct)) else {
                        let listed: Vec<&str> = content.keys().map(String::as_str).collect();
                        self.diags.push(
                            Diagnostic::new(
                                join(p_at, "content"),
                                format!("parameter content {} is not supported", listed.join(", ")),
                            )
                            .hint(
                                "describe the parameter with `schema`, or with `content: application/json`",
                            ),
                        );
                        continue;
                    };
                    let ty = match &media.schema {
                        Some(s) => {
                            self.type_ref(s, &hint, &join(&join(&join(p_at, "content"), ct), "schema"))
                        }
                        None => TypeRef::Json,
                    };
                    (ty, true)
                }
            };
            // What does not display as one value (an object, a union, any JSON) is spelled
            // by its style.
            let object_valued = !self.displays(&ty, 0);
            let mut json = json;
            let mut object = None;
            if object_valued && !json {
                match p {
                    Parameter::Query { style, .. } => {
                        object = Some(match (style, data.explode.unwrap_or(true)) {
                            (openapiv3::QueryStyle::DeepObject, _) => ObjectStyle::DeepObject,
                            (_, true) => ObjectStyle::FormExploded,
                            (_, false) => ObjectStyle::Form,
                        });
                    }
                    _ => {
                        self.diags.push(Diagnostic::note(
                            p_at,
                            format!("object-valued parameter `{}` is sent as its JSON text", data.name),
                        ));
                        json = true;
                    }
                }
            }
            // What a referenced schema allows is on its own type's page.
            let (constraints, default) = match &data.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => (
                    self.constraints(s, &join(p_at, "schema")),
                    s.schema_data.default.clone(),
                ),
                _ => (None, None),
            };
            let param = Param {
                wire: data.name.clone(),
                name: names::field(&data.name),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                doc: non_empty(&data.description),
                json,
                object,
                constraints,
                default,
            };
            match location {
                ParamLocation::Path if self.settings.client_params.contains(&data.name) => {
                    if !client_params.iter().any(|c| c.wire == data.name) {
                        client_params.push(param.clone());
                    }
                    path_params.push(param);
                }
                ParamLocation::Path => path_params.push(param),
                _ if param.required => required_params.push(param),
                _ => optional_params.push(param),
            }
        }
        self.check_path_template(path, &mut path_params, at);
        // Arguments share a namespace with the method's own names; the options struct's
        // fields share one among themselves.
        let mut args: HashSet<String> = ARGUMENT_NAMES.iter().map(|n| n.to_string()).collect();
        let mut fields: HashSet<String> = HashSet::new();
        let params = path_params
            .iter_mut()
            .chain(&mut required_params)
            .map(|p| (p, true))
            .chain(optional_params.iter_mut().map(|p| (p, false)));
        for (p, is_arg) in params {
            let seen = if is_arg { &mut args } else { &mut fields };
            // Held by the client (the same field for every operation): never renamed.
            let held = self.settings.client_params.contains(&p.wire) && p.location == ParamLocation::Path;
            if !held && seen.contains(&p.name) {
                let base = names::unraw(&p.name);
                let with_place = if ARGUMENT_NAMES.contains(&base) {
                    format!("{base}_param")
                } else {
                    format!("{base}_{}", p.location.label())
                };
                let settled = names::unique(&with_place, |n| seen.contains(n));
                self.diags.push(Diagnostic::note(
                    at,
                    format!(
                        "parameter `{}` ({}) is `{settled}`: `{}` is taken",
                        p.wire,
                        p.location.label(),
                        p.name
                    ),
                ));
                p.name = settled;
            }
            seen.insert(p.name.clone());
        }

        let body = op
            .request_body
            .as_ref()
            .and_then(|b| self.body(b, &format!("{type_prefix}Request"), &join(at, "requestBody")));
        let responses = self.responses(&op.responses, &type_prefix, &join(at, "responses"));

        let options_type = if optional_params.is_empty() {
            None
        } else {
            Some(self.claim(&format!("{type_prefix}Options"), &join(at, "parameters")))
        };
        let success_types: Vec<&Option<TypeRef>> =
            responses.iter().filter(|r| r.success).map(|r| &r.ty).collect();
        let distinct_success = distinct(&success_types);
        let outcome_type = if distinct_success > 1 {
            Some(self.claim(&format!("{type_prefix}Outcome"), &join(at, "responses")))
        } else {
            None
        };
        let error_types: Vec<&Option<TypeRef>> =
            responses.iter().filter(|r| !r.success).map(|r| &r.ty).collect();
        let error_type = if distinct(&error_types) > 1 {
            Some(self.claim(&format!("{type_prefix}Error"), &join(at, "responses")))
        } else {
            None
        };
        let actions = match &body {
            Some(Body {
                ty: TypeRef::Named(n),
                ..
            }) => self.actions_of(n),
            _ => Vec::new(),
        };
        Some(Operation {
            id,
            name,
            method: method.to_uppercase(),
            path: path.to_string(),
            summary: non_empty(&op.summary),
            description: non_empty(&op.description),
            deprecated: op.deprecated,
            path_params,
            required_params,
            optional_params,
            options_type,
            body,
            responses,
            outcome_type,
            error_type,
            actions,
            paging: None,
            security: self.requirements(op.security.as_ref(), at),
        })
    }

    /// Whether a parameter of this type is written as its `Display` (a scalar, a string
    /// enum); arrays of such are written item by item.
    pub(super) fn displays(&self, ty: &TypeRef, depth: usize) -> bool {
        match ty {
            TypeRef::Json | TypeRef::JsonObject | TypeRef::Map(_) | TypeRef::Bytes | TypeRef::Nullable(_) => {
                false
            }
            TypeRef::Vec(inner) => depth == 0 && self.displays(inner, depth + 1),
            TypeRef::Named(n) => match self.types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
                Some(TypeKind::StringEnum { .. }) => true,
                Some(TypeKind::Alias(inner)) if depth < specwright_oas::schema::MAX_DEPTH => {
                    self.displays(inner, depth + 1)
                }
                _ => false,
            },
            _ => true,
        }
    }

    pub(super) fn actions_of(&self, name: &str) -> Vec<Action> {
        match self.types.iter().find(|t| t.name == name).map(|t| &t.kind) {
            Some(TypeKind::Tagged { variants }) => variants
                .iter()
                .map(|v| Action {
                    method: v.method.clone(),
                    variant: v.name.clone(),
                    ty: v.ty.clone(),
                    doc: v.doc.clone(),
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The name a parameter's own type (an enum, say) gets: a parameter shared through
    /// `components/parameters` is named after its component, since every operation that
    /// uses it shares the type; one declared in place is named after its operation.
    pub(super) fn parameter_type_hint(&self, at: &str, type_prefix: &str, wire_name: &str) -> String {
        let shared = at
            .strip_prefix("/components/parameters/")
            .filter(|key| !key.contains('/'))
            .map(|key| names::type_name(&pointer::unescape(key)))
            .filter(|name| !self.claimed.contains_key(name));
        shared.unwrap_or_else(|| format!("{type_prefix}{}", names::type_name(wire_name)))
    }

    pub(super) fn check_path_template(&mut self, path: &str, params: &mut Vec<Param>, at: &str) {
        if let Err(unclosed) = template::pieces(path) {
            self.diags.push(
                Diagnostic::new(
                    at,
                    format!("path `{path}` has an unclosed `{{` at byte {}", unclosed.at),
                )
                .hint("close it with `}`"),
            );
            return;
        }
        let in_template: Vec<String> = template::params(path).into_iter().map(str::to_string).collect();
        for name in &in_template {
            if !params.iter().any(|p| &p.wire == name) {
                self.diags.push(
                    Diagnostic::new(
                        at,
                        format!("path `{path}` names `{{{name}}}` but declares no path parameter `{name}`"),
                    )
                    .hint("declare it under `parameters` with `in: path`, or correct the name in the path"),
                );
                params.push(Param {
                    wire: name.clone(),
                    name: names::field(name),
                    location: ParamLocation::Path,
                    ty: TypeRef::String,
                    required: true,
                    doc: None,
                    json: false,
                    object: None,
                    constraints: None,
                    default: None,
                });
            }
        }
        params.retain(|p| {
            let used = in_template.contains(&p.wire);
            if !used {
                self.diags.push(
                    Diagnostic::new(
                        at,
                        format!("path parameter `{}` does not appear in `{path}`", p.wire),
                    )
                    .hint("correct its name or the path, or remove it"),
                );
            }
            used
        });
    }

    pub(super) fn body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        hint: &str,
        at: &str,
    ) -> Option<Body> {
        let (body, at) = match body {
            ReferenceOr::Item(b) => (b.clone(), at.to_string()),
            ReferenceOr::Reference { reference } => self.resolve::<openapiv3::RequestBody>(reference, at)?,
        };
        // No media type at all: nothing to send (`content: {}` is seen in real specs).
        let (content_type, media) = pick_media(&body.content)?;
        let schema_at = join(&join(&join(&at, "content"), &content_type), "schema");
        let encoding = BodyEncoding::of(&content_type);
        let ty = match (encoding, &media.schema) {
            (BodyEncoding::Json | BodyEncoding::Form, Some(s)) => self.type_ref(s, hint, &schema_at),
            (BodyEncoding::Json, None) => TypeRef::Json,
            (BodyEncoding::Form, None) => TypeRef::JsonObject,
            // The caller builds the parts with reqwest's multipart::Form.
            (BodyEncoding::Multipart | BodyEncoding::Bytes, _) => TypeRef::Bytes,
        };
        let examples = self.examples(&media, &join(&join(&at, "content"), &content_type));
        Some(Body {
            ty,
            required: body.required,
            content_type,
            encoding,
            examples,
        })
    }

    pub(super) fn responses(
        &mut self,
        responses: &openapiv3::Responses,
        prefix: &str,
        at: &str,
    ) -> Vec<ResponseDef> {
        let mut list: Vec<(StatusMatch, String, &ReferenceOr<openapiv3::Response>)> = responses
            .responses
            .iter()
            .map(|(code, r)| match code {
                openapiv3::StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string(), r),
                openapiv3::StatusCode::Range(n) => (StatusMatch::Range(*n), format!("{n}XX"), r),
            })
            .collect();
        if let Some(d) = &responses.default {
            list.push((StatusMatch::Default, "default".into(), d));
        }
        let mut out = Vec::new();
        let mut first_success_named = false;
        for (status, label, r) in list {
            let r_at = join(at, &label);
            let shared = match r {
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/responses/")
                    .map(pointer::unescape),
                ReferenceOr::Item(_) => None,
            };
            let (response, r_at) = match r {
                ReferenceOr::Item(r) => (r.clone(), r_at),
                ReferenceOr::Reference { reference } => {
                    match self.resolve::<openapiv3::Response>(reference, &r_at) {
                        Some(found) => found,
                        None => continue,
                    }
                }
            };
            let success = status.is_success();
            let hint = if success && !first_success_named {
                first_success_named = true;
                format!("{prefix}Response")
            } else if success {
                format!("{prefix}Response{label}")
            } else {
                format!(
                    "{prefix}Error{}",
                    if label == "default" {
                        "Default".to_string()
                    } else {
                        label.clone()
                    }
                )
            };
            let picked = pick_media(&response.content);
            let examples = match &picked {
                Some((ct, media)) if is_json(ct) => self.examples(media, &join(&join(&r_at, "content"), ct)),
                _ => Vec::new(),
            };
            let ty = match picked {
                None => None,
                Some((ct, media)) if is_json(&ct) => match &media.schema {
                    // A nullable body (or a `$ref` to one) may be `null`: `Option<T>`.
                    Some(s) => {
                        let ty =
                            self.type_ref(s, &hint, &join(&join(&join(&r_at, "content"), &ct), "schema"));
                        Some(self.or_null(s, ty))
                    }
                    None => Some(TypeRef::Json),
                },
                Some(_) => Some(TypeRef::Bytes),
            };
            // A JSON body with an empty alternative beside it may be absent.
            let body_optional = matches!(&ty, Some(t) if *t != TypeRef::Bytes)
                && response
                    .content
                    .iter()
                    .any(|(ct, m)| !is_json(ct) && self.is_empty_alternative(m, &r_at));
            out.push(ResponseDef {
                status,
                ty,
                success,
                doc: non_empty(&Some(response.description.clone())),
                body_optional,
                examples,
                shared,
                variant: status_variant(status),
                media_types: response.content.keys().cloned().collect(),
            });
        }
        if !out.iter().any(|r| r.success) {
            // Many real specs document only errors, or only `default` ("successful
            // operation"). Any 2xx is then the success, with `default`'s body if it has one.
            let default = out.iter().find(|r| r.status == StatusMatch::Default);
            let ty = default.and_then(|r| r.ty.clone());
            let media_types = default.map(|r| r.media_types.clone()).unwrap_or_default();
            let doc = Some("Any 2xx: the spec documents no success status.".to_string());
            out.insert(
                0,
                ResponseDef {
                    status: StatusMatch::Range(2),
                    ty,
                    success: true,
                    doc,
                    body_optional: false,
                    examples: Vec::new(),
                    shared: None,
                    variant: status_variant(StatusMatch::Range(2)),
                    media_types,
                },
            );
        }
        out
    }
}

fn distinct(types: &[&Option<TypeRef>]) -> usize {
    let mut seen: Vec<&Option<TypeRef>> = Vec::new();
    for t in types {
        if !seen.contains(t) {
            seen.push(t);
        }
    }
    seen.len()
}

impl Lower<'_> {
    /// The examples of a media type: `example`, then each of `examples` (references
    /// followed) that holds a `value`.
    fn examples(&mut self, media: &openapiv3::MediaType, at: &str) -> Vec<Example> {
        let mut out = Vec::new();
        if let Some(value) = &media.example {
            out.push(Example {
                name: "example".into(),
                value: value.clone(),
            });
        }
        for (name, example) in &media.examples {
            let found = match example {
                ReferenceOr::Item(e) => Some(e.clone()),
                ReferenceOr::Reference { reference } => {
                    let ex_at = join(&join(at, "examples"), name);
                    self.resolve::<openapiv3::Example>(reference, &ex_at)
                        .map(|(e, _)| e)
                }
            };
            if let Some(value) = found.and_then(|e| e.value) {
                out.push(Example {
                    name: name.clone(),
                    value,
                });
            }
        }
        out
    }

    /// A media type whose schema is a string of at most 0 characters: the spec's way to
    /// say that a documented body may be absent (as the oracle's `is_empty_alternative`
    /// reads it, for the suite and the emulator).
    pub(super) fn is_empty_alternative(&mut self, media: &openapiv3::MediaType, at: &str) -> bool {
        let schema = match &media.schema {
            Some(ReferenceOr::Item(s)) => s.clone(),
            Some(ReferenceOr::Reference { reference }) => match self.resolve::<Schema>(reference, at) {
                Some((s, _)) => s,
                None => return false,
            },
            None => return false,
        };
        matches!(
            schema.schema_kind,
            SchemaKind::Type(Type::String(openapiv3::StringType {
                max_length: Some(0),
                ..
            }))
        )
    }
}

/// A status's variant in an outcome or error enum: `Status404`, `Status4XX`, `Other`.
fn status_variant(status: StatusMatch) -> String {
    match status {
        StatusMatch::Default => "Other".to_string(),
        s => format!("Status{}", s.label()),
    }
}

fn is_json(content_type: &str) -> bool {
    BodyEncoding::of(content_type) == BodyEncoding::Json
}

/// The media type generated code uses: JSON first, then a form, then multipart, then
/// any other as raw bytes (XML, images, `text/plain`, …).
fn pick_media(content: &IndexMap<String, openapiv3::MediaType>) -> Option<(String, openapiv3::MediaType)> {
    let rank = |ct: &str| match BodyEncoding::of(ct) {
        BodyEncoding::Json => 0,
        BodyEncoding::Form => 1,
        BodyEncoding::Multipart => 2,
        BodyEncoding::Bytes if ct.starts_with("application/octet-stream") => 3,
        BodyEncoding::Bytes => 4,
    };
    content
        .iter()
        .enumerate()
        .min_by_key(|(i, (ct, _))| (rank(ct), *i))
        .map(|(_, (ct, m))| (ct.clone(), m.clone()))
}

/// The name of an action helper of `operation` whose first choice, `helper`, is taken by a
/// helper of `other`: `helper` and what sets `operation`'s name apart from `other`'s
/// (`extend_volume` of `volume_action_v3`, taken by `volume_action`: `extend_volume_v3`).
fn helper_with_suffix(helper: &str, operation: &str, other: &str) -> String {
    let common = operation
        .char_indices()
        .zip(other.chars())
        .take_while(|((_, a), b)| a == b)
        .last()
        .map_or(0, |((i, c), _)| i + c.len_utf8());
    let distinct = operation[common..].trim_matches('_');
    let suffix = if distinct.is_empty() { operation } else { distinct };
    format!("{helper}_{suffix}")
}

#[cfg(test)]
mod tests {
    use super::helper_with_suffix;

    #[test]
    pub(super) fn a_taken_helper_name_takes_what_sets_its_operation_apart() {
        assert_eq!(
            helper_with_suffix("extend_volume", "volume_action_v3", "volume_action"),
            "extend_volume_v3"
        );
        assert_eq!(
            helper_with_suffix("extend", "act_on_disk", "act_on_volume"),
            "extend_disk"
        );
        // Nothing sets it apart: the whole operation name.
        assert_eq!(
            helper_with_suffix("extend", "volume_action", "volume_action_v3"),
            "extend_volume_action"
        );
    }
}
