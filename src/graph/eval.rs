//! Evaluating one function: which values carry personal data, statement by statement.
//!
//! Each value is a set of [`Label`]s (personal data of a category, or "whatever parameter i
//! holds"), the type of the value where known, and whether it is known to be clean (a literal,
//! a sanitizer's result, a boolean). Names are sources too: reading a variable or field named
//! like personal data (`email`, `user.phone`) yields that category, unless the value is known
//! clean.

use super::{At, FnId, Label, Origin, ParamSink, Program, SinkHit, SinkKind, SinkRef, Summary};
use crate::classify::CategoryId;
use crate::ir::{Call, CompoundKind, Expr, Function, Language, Part, Place, Span, Stmt};
use crate::rules::{Sink, place_text};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Longest path kept for a label; longer paths keep their first and last hops.
const MAX_HOPS: usize = 16;
/// Most origins kept per value.
const MAX_LABELS: usize = 12;

#[derive(Clone, Debug, Default)]
pub struct Value {
    pub labels: Vec<Label>,
    pub ty: Option<String>,
    /// Known to hold no personal data whatever its name says.
    pub clean: bool,
    /// A key-value map (a `dict` or `HashMap`): its keys are names, not personal data.
    pub mapping: bool,
}

impl Value {
    fn clean() -> Self {
        Value {
            clean: true,
            ..Value::default()
        }
    }

    fn merge(&mut self, other: Value) {
        self.clean = self.clean && other.clean;
        self.mapping = self.mapping && other.mapping;
        if self.ty.is_none() {
            self.ty = other.ty;
        }
        for label in other.labels {
            add_label(&mut self.labels, label);
        }
    }
}

fn add_label(labels: &mut Vec<Label>, label: Label) {
    if let Some(existing) = labels.iter_mut().find(|l| l.origin == label.origin) {
        if label.hops.len() < existing.hops.len() {
            *existing = label;
        }
        return;
    }
    if labels.len() < MAX_LABELS {
        labels.push(label);
    }
}

fn with_hop(mut label: Label, hop: At) -> Label {
    if label.hops.last() != Some(&hop) {
        if label.hops.len() >= MAX_HOPS {
            label.hops.remove(1);
        }
        label.hops.push(hop);
    }
    label
}

/// What evaluating one function produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub summary: Summary,
    pub hits: Vec<SinkHit>,
    /// Functions this one calls (resolved), for the call graph.
    pub callees: Vec<FnId>,
    /// A callee had no summary yet when this function was evaluated: evaluate it again once
    /// the callee's is known.
    pub incomplete: bool,
}

pub struct Evaluator<'p, 'r> {
    program: &'p Program<'r>,
    id: FnId,
    unit: u32,
    language: Language,
    function: &'p Function,
    summaries: &'p HashMap<FnId, Summary>,
    globals: Option<&'p HashMap<String, Value>>,
    pub env: HashMap<String, Value>,
    out: Outcome,
    /// Values returned by the closures being evaluated (innermost last).
    closure_returns: Vec<Value>,
    depth: usize,
}

impl<'p, 'r> Evaluator<'p, 'r> {
    pub fn new(
        program: &'p Program<'r>,
        id: FnId,
        summaries: &'p HashMap<FnId, Summary>,
        globals: Option<&'p HashMap<String, Value>>,
    ) -> Self {
        let function = program.function(id);
        let mut env = HashMap::default();
        for (i, param) in function.params.iter().enumerate() {
            let ty = param
                .ty
                .as_deref()
                .and_then(|t| program.type_in(program.units[id.unit as usize].language, t))
                .or_else(|| {
                    (param.name == "self" || param.name == "cls")
                        .then(|| function.owner.clone())
                        .flatten()
                });
            env.insert(
                param.name.clone(),
                Value {
                    labels: vec![Label {
                        origin: Origin::Param(i as u32),
                        hops: vec![At {
                            unit: id.unit,
                            span: param.span,
                            note: format!("parameter `{}` of `{}`", param.name, function.name)
                                .into(),
                        }],
                    }],
                    ty,
                    clean: false,
                    mapping: param
                        .ty
                        .as_deref()
                        .is_some_and(|t| program.rules.is_mapping_type(t)),
                },
            );
        }
        // Parameters of a type that holds personal data whatever it is called (`ip: IpAddr`).
        if let Some(rules) = program.language_rules(id.unit) {
            for param in &function.params {
                let Some(ty) = param.ty.as_deref() else {
                    continue;
                };
                let Some(&(_, category)) = rules
                    .typed_sources
                    .iter()
                    .find(|(t, _)| crate::rules::type_words(ty).any(|w| w == t))
                else {
                    continue;
                };
                if let Some(v) = env.get_mut(&param.name) {
                    v.labels.push(Label {
                        origin: Origin::Data(category),
                        hops: vec![At {
                            unit: id.unit,
                            span: param.span,
                            note: format!(
                                "`{}` is {} (a `{ty}`)",
                                param.name,
                                article(&program.rules.classifier.category(category).name)
                            )
                            .into(),
                        }],
                    });
                }
            }
        }
        Evaluator {
            program,
            id,
            unit: id.unit,
            language: program.units[id.unit as usize].language,
            function,
            summaries,
            globals,
            env,
            out: Outcome::default(),
            closure_returns: Vec::new(),
            depth: 0,
        }
    }

    pub fn run(mut self) -> (Outcome, HashMap<String, Value>) {
        self.attribute_sinks();
        let mut ret = Value::default();
        let mut returned = false;
        for stmt in &self.function.body {
            if let Some(value) = self.stmt(stmt) {
                ret.merge(value);
                returned = true;
            }
        }
        if returned {
            self.out.summary.ret = ret.labels;
            self.out.summary.ret_ty = ret.ty;
        }
        if let Some(ty) = self.function.ret_ty.as_deref() {
            let owner = self.function.owner.as_deref();
            let declared = if crate::rules::type_words(ty).any(|w| w == "Self") {
                owner.map(str::to_string)
            } else {
                self.program.type_in(self.language, ty)
            };
            if declared.is_some() {
                self.out.summary.ret_ty = declared;
            }
        }
        self.out.callees.sort();
        self.out.callees.dedup();
        (self.out, self.env)
    }

    /// Evaluates a statement; returns the value of a `return`.
    fn stmt(&mut self, stmt: &Stmt) -> Option<Value> {
        match stmt {
            Stmt::Assign {
                target,
                ty,
                value,
                span,
            } => {
                let mut v = self.expr(value);
                if let Some(category) = self.program.declared.at(self.unit, target.span.start) {
                    let name = place_text(target);
                    v.merge(self.source(category, target.span, |c| {
                        format!("`{name}` holds {} (by annotation)", in_sentence(c))
                    }));
                }
                if let Some(ty) = ty
                    .as_deref()
                    .and_then(|t| self.program.type_in(self.language, t))
                {
                    v.ty = Some(ty);
                }
                if ty
                    .as_deref()
                    .is_some_and(|t| self.program.rules.is_mapping_type(t))
                {
                    v.mapping = true;
                }
                let name = place_text(target);
                let v = Value {
                    labels: v
                        .labels
                        .into_iter()
                        .map(|l| {
                            if l.hops
                                .last()
                                .is_some_and(|h| h.span == *span || h.span == value.span())
                            {
                                l
                            } else {
                                with_hop(
                                    l,
                                    At {
                                        unit: self.unit,
                                        span: target.span,
                                        note: format!("assigned to `{name}`").into(),
                                    },
                                )
                            }
                        })
                        .collect(),
                    ..v
                };
                // Writing a field of a local adds to what the local holds.
                if !target.fields.is_empty()
                    && let Some(base) = self.env.get_mut(&target.base)
                {
                    for l in v
                        .labels
                        .iter()
                        .filter(|l| matches!(l.origin, Origin::Data(_)))
                    {
                        add_label(&mut base.labels, l.clone());
                    }
                }
                self.env.insert(name, v);
                None
            }
            Stmt::Expr(e) | Stmt::Branch { condition: e, .. } => {
                self.expr(e);
                None
            }
            Stmt::Return { value, .. } => {
                let v = self.expr(value);
                if let Some(closure) = self.closure_returns.last_mut() {
                    closure.merge(v);
                    None
                } else {
                    Some(v)
                }
            }
        }
    }

    pub fn expr(&mut self, expr: &Expr) -> Value {
        if self.depth > crate::lang::MAX_NESTING {
            return Value::default();
        }
        self.depth += 1;
        let v = match expr {
            Expr::Place(place) => self.place(place),
            Expr::Call(call) => self.call(call),
            Expr::Str { value, span } => self.literal(value, *span),
            Expr::Compound(c) => match c.kind {
                CompoundKind::Boolean => {
                    for part in &c.parts {
                        self.expr(&part.value);
                    }
                    Value::clean()
                }
                CompoundKind::Format => {
                    let mut v = Value::clean();
                    for part in &c.parts {
                        let pv = self.formatted(&part.value, part.debug);
                        v.merge(pv);
                    }
                    v.ty = None;
                    v
                }
                // `get_user().email`: a field of a value that is not a variable.
                CompoundKind::Other if c.parts.len() == 1 && c.parts[0].key.is_some() => {
                    let part = &c.parts[0];
                    let base = self.expr(&part.value);
                    let field = part.key.as_deref().unwrap_or_default();
                    let text = format!("{}.{field}", expr_text(&part.value));
                    self.field(&base, "", field, &text, c.span)
                }
                CompoundKind::Concat | CompoundKind::Container | CompoundKind::Other => {
                    let mut v = Value::clean();
                    let mut ty = None;
                    for part in &c.parts {
                        let pv = self.expr(&part.value);
                        if ty.is_none() {
                            ty.clone_from(&pv.ty);
                        }
                        v.merge(pv);
                    }
                    v.ty = if c.kind == CompoundKind::Concat {
                        None
                    } else {
                        ty
                    };
                    v
                }
            },
            Expr::Closure { params, body, .. } => self.closure(params, body, &Value::default()),
            Expr::Other(_) => Value::clean(),
        };
        self.depth -= 1;
        v
    }

    fn closure(&mut self, params: &[crate::ir::Param], body: &[Stmt], input: &Value) -> Value {
        for p in params {
            let mut v = input.clone();
            if let Some(ty) =
                p.ty.as_deref()
                    .and_then(|t| self.program.type_in(self.language, t))
            {
                v.ty = Some(ty);
            }
            self.env.insert(p.name.clone(), v);
        }
        self.closure_returns.push(Value::clean());
        for stmt in body {
            self.stmt(stmt);
        }
        self.closure_returns.pop().unwrap_or_default()
    }

    fn literal(&self, value: &str, span: Span) -> Value {
        if self.program.units[self.unit as usize].is_test {
            return Value::clean();
        }
        match self.program.rules.classifier.classify_value(value) {
            Some(category) => self.source(category, span, |name| {
                format!("this literal is {}", article(name))
            }),
            None => Value::clean(),
        }
    }

    fn name_source(&self, name: &str, shown: &str, span: Span) -> Option<(CategoryId, Label)> {
        // `Ipv4Addr::LOCALHOST`, `Config::ADMIN_EMAIL`: a type's constant is a fixed value, not
        // someone's data; a literal that looks personal is caught by its value instead.
        if let Some((_, last)) = name.rsplit_once("::")
            && last.chars().any(|c| c.is_ascii_uppercase())
            && !last.chars().any(|c| c.is_ascii_lowercase())
        {
            return None;
        }
        let category = self.program.rules.classifier.classify_name(name)?;
        Some((
            category,
            Label {
                origin: Origin::Data(category),
                hops: vec![At {
                    unit: self.unit,
                    span,
                    note: format!(
                        "`{shown}` holds {} (by its name)",
                        article(&self.program.rules.classifier.category(category).name)
                    )
                    .into(),
                }],
            },
        ))
    }

    fn place(&mut self, place: &Place) -> Value {
        let text = place_text(place);
        if !place.fields.is_empty()
            && let Some(v) = self.framework_source(&text, place.span)
        {
            return v;
        }
        if let Some(v) = self.env.get(&text) {
            let mut v = v.clone();
            if !v.clean {
                // `repo.full_name`: the name says what it is unless its owner says otherwise.
                let owner = match place.fields.len() {
                    0 => None,
                    1 => Some(place.base.as_str()),
                    n => Some(place.fields[n - 2].as_str()),
                };
                let excluded = owner.is_some_and(|owner| {
                    self.name_source(place.leaf(), &text, place.span)
                        .is_some_and(|(c, _)| {
                            self.program.rules.classifier.owner_excludes(c, owner)
                        })
                });
                if !excluded {
                    self.add_name_source(&mut v, place.leaf(), &text, place.span);
                }
            }
            if place.fields.is_empty() && v.ty.is_none() {
                v.ty = self.program.type_for_name(self.language, &place.base);
            }
            return v;
        }
        if place.fields.is_empty() {
            let mut v = self
                .globals
                .and_then(|g| g.get(&place.base))
                .cloned()
                .unwrap_or_default();
            if !v.clean {
                self.add_name_source(&mut v, &place.base, &text, place.span);
            }
            if v.ty.is_none() {
                v.ty = self.program.type_for_name(self.language, &place.base);
            }
            return v;
        }
        // A field read: the longest prefix we know, then the fields after it.
        let parent = Place {
            base: place.base.clone(),
            fields: place.fields[..place.fields.len() - 1].to_vec(),
            span: place.span,
        };
        let field = place.leaf();
        let base = self.place(&parent);
        let v = self.field(&base, parent.leaf(), field, &text, place.span);
        self.note_contents(&place_text(&parent), &v);
        v
    }

    /// A value a framework rule says is personal data (`request.client.host`).
    fn framework_source(&self, text: &str, span: Span) -> Option<Value> {
        let rules = self.program.language_rules(self.unit)?;
        let &(_, category) = rules
            .sources
            .iter()
            .find(|(path, _)| crate::rules::path_matches(text, path))?;
        Some(self.source(category, span, |name| {
            format!("`{text}` is {}", article(name))
        }))
    }

    /// A value that is personal data of `category` from here, with a note made from the
    /// category's name.
    fn source(&self, category: CategoryId, span: Span, note: impl Fn(&str) -> String) -> Value {
        Value {
            labels: vec![Label {
                origin: Origin::Data(category),
                hops: vec![At {
                    unit: self.unit,
                    span,
                    note: note(&self.program.rules.classifier.category(category).name).into(),
                }],
            }],
            ty: None,
            clean: false,
            mapping: false,
        }
    }

    /// Reading `field` of a value. `qualifier` names the value (its type, or the variable):
    /// a field that says nothing alone is read with it (`card.number` is a card number).
    fn field(
        &mut self,
        base: &Value,
        qualifier: &str,
        field: &str,
        text: &str,
        span: Span,
    ) -> Value {
        if self.program.rules.dumps.contains(field) {
            // `user.__dict__`: the whole object's fields.
            return self.expand(base, Expansion::Serialize, span, text);
        }
        let info = base
            .ty
            .as_deref()
            .and_then(|t| self.program.type_info(self.language, t));
        if let Some(info) = info
            && info.fields.contains(field)
        {
            let field_ty = info
                .field_types
                .get(field)
                .and_then(|t| self.program.type_in(self.language, t));
            if let Some(p) = info.personal.iter().find(|p| p.name == field) {
                let category = p.category;
                return Value {
                    labels: vec![Label {
                        origin: Origin::Data(category),
                        hops: vec![At {
                            unit: self.unit,
                            span,
                            note: format!(
                                "`{text}` is read: {}",
                                self.program.rules.classifier.category(category).name
                            )
                            .into(),
                        }],
                    }],
                    ty: field_ty,
                    clean: false,
                    mapping: false,
                };
            }
            return Value {
                labels: Vec::new(),
                ty: field_ty,
                clean: field_ty_is_clean(self.language, &info.field_types, field, self.program),
                mapping: false,
            };
        }
        // `repo.full_name` is not a person's name: the owner decides, named by its type or by
        // the variable that holds it.
        let classifier = &self.program.rules.classifier;
        if let Some((category, label)) = self.name_source(field, text, span)
            && !classifier.owner_excludes(category, qualifier)
            && !info.is_some_and(|i| classifier.owner_excludes(category, &i.name))
        {
            let mut v = Value::default();
            add_label(&mut v.labels, label);
            return v;
        }
        // `card.number`: a generic field read with its owner's type, or a one-word variable name.
        let owner = info.map(|i| i.name.as_str()).or_else(|| {
            (!qualifier.is_empty() && crate::classify::tokens(qualifier).len() == 1)
                .then_some(qualifier)
        });
        if let Some(owner) = owner.filter(|_| self.program.rules.qualified_fields.contains(field))
            && let Some((_, label)) = self.name_source(&format!("{owner}_{field}"), text, span)
        {
            let mut v = Value::default();
            add_label(&mut v.labels, label);
            return v;
        }
        if info.is_some() {
            // A field the type does not declare (a method's result, an attribute set
            // elsewhere): only its name says what it holds.
            return Value::default();
        }
        // An unknown field of an unknown value: it may hold what the value holds.
        Value {
            labels: base.labels.clone(),
            ty: None,
            clean: base.clean,
            mapping: false,
        }
    }

    /// A local dict or record from which a personal field was read holds that personal data
    /// as a whole (`data["email"]` makes logging `data` a leak).
    fn note_contents(&mut self, parent: &str, read: &Value) {
        if let Some(entry) = self.env.get_mut(parent)
            && entry.ty.is_none()
        {
            for l in read
                .labels
                .iter()
                .filter(|l| matches!(l.origin, Origin::Data(_)))
            {
                add_label(&mut entry.labels, l.clone());
            }
            entry.clean = false;
        }
    }

    fn add_name_source(&self, v: &mut Value, name: &str, shown: &str, span: Span) {
        if let Some((category, label)) = self.name_source(name, shown, span)
            && !v.labels.iter().any(|l| l.origin == Origin::Data(category))
        {
            add_label(&mut v.labels, label);
        }
    }

    /// A value as formatted into text: a whole object shows its personal fields when its type
    /// prints them.
    fn formatted(&mut self, value: &Expr, debug: bool) -> Value {
        let v = self.expr(value);
        let mode = if debug {
            Expansion::Debug
        } else {
            Expansion::Display
        };
        let expanded = if v.ty.is_some() {
            self.expand(&v, mode, value.span(), &expr_text(value))
        } else {
            Value::default()
        };
        let mut out = Value {
            labels: v.labels,
            ty: None,
            clean: v.clean,
            mapping: false,
        };
        for l in expanded.labels {
            add_label(&mut out.labels, l);
        }
        out
    }

    /// The personal fields of a value's type that `mode` shows.
    fn expand(&self, v: &Value, mode: Expansion, span: Span, text: &str) -> Value {
        let Some(info) =
            v.ty.as_deref()
                .and_then(|t| self.program.type_info(self.language, t))
        else {
            return Value::default();
        };
        let shows = match mode {
            Expansion::Debug => info.debug_leaks,
            Expansion::Display => info.display_leaks,
            Expansion::Serialize => info.serializes || !info.personal.is_empty(),
        };
        if !shows {
            return Value::clean();
        }
        let how = match (mode, self.language) {
            (Expansion::Debug, Language::Rust) => "whose `Debug` output includes",
            (Expansion::Display, Language::Rust) => "whose `Display` output includes",
            (Expansion::Serialize, _) => "serialised with",
            (_, Language::Python | Language::Sql) => "whose text form includes",
        };
        let mut out = Value::default();
        for p in &info.personal {
            let names: Vec<&str> = info.personal.iter().map(|p| p.name.as_str()).collect();
            add_label(
                &mut out.labels,
                Label {
                    origin: Origin::Data(p.category),
                    hops: vec![
                        At {
                            unit: p.unit,
                            span: p.span,
                            note: format!("field `{}` of `{}`", p.name, info.name).into(),
                        },
                        At {
                            unit: self.unit,
                            span,
                            note: format!(
                                "`{text}` is a `{}`, {how} `{}`",
                                info.name,
                                names.join("`, `")
                            )
                            .into(),
                        },
                    ],
                },
            );
        }
        out
    }

    /// The sink this call is, with the call that names its target (for a request builder's
    /// `.json(body)`, the `post(url)` it is chained on).
    fn sink_for<'c>(&self, call: &'c Call) -> Option<(&'p Sink, &'c Call)> {
        let rules = self.program.language_rules(self.unit)?;
        let unit = &self.program.units[self.unit as usize];
        let handles = &unit.handles;
        let empty = HashSet::default();
        let matches = |s: &Sink, c: &Call| {
            s.matches(c, handles.get(&s.kind).unwrap_or(&empty))
                && (!s.needs_url
                    || s.matched_by_function(c)
                    || url_like(url_arg(s, c), &unit.constants))
        };
        if let Some(s) = rules.find_sink(call, |s| matches(s, call)) {
            return Some((s, call));
        }
        // `client.post(url).json(&body).send()`: the body joins the request it is chained on.
        let builder = rules.body_sinks_for(&call.name).collect::<Vec<_>>();
        if builder.is_empty() {
            return None;
        }
        let mut cur = call.receiver.as_ref();
        while let Some(Expr::Call(inner)) = cur {
            if let Some(s) = builder.iter().find(|s| matches(s, inner)) {
                return Some((*s, inner));
            }
            cur = inner.receiver.as_ref();
        }
        None
    }

    fn call(&mut self, call: &Call) -> Value {
        let receiver = call.receiver.as_ref().map(|r| self.expr(r));
        if let Some(id) = self.program.recipient_of_call(self.unit, call) {
            let mut sent = Value::default();
            for part in &call.args {
                let v = self.expr(&part.value);
                sent.merge(v);
            }
            let target = self.program.rules.recipients.get(id).id.clone();
            self.record_sink(
                call.span,
                call.path.clone(),
                SinkKind::Recipient,
                Some(target),
                sent,
            );
            return Value::clean();
        }
        if let Some((sink, named)) = self.sink_for(call) {
            if sink.kind == SinkKind::Log {
                self.log_call(call, sink);
            } else {
                self.data_call(call, sink, named);
            }
            return Value::clean();
        }
        // Closures passed to the call see the receiver and the other arguments
        // (`users.iter().map(|u| ...)`, `map(lambda u: ..., users)`).
        let mut closure_input = receiver.clone().unwrap_or_default();
        closure_input.clean = false;
        let mut args: Vec<Value> = Vec::with_capacity(call.args.len());
        for a in &call.args {
            if matches!(a.value, Expr::Closure { .. }) {
                args.push(Value::default());
            } else {
                let v = if call.is_macro {
                    self.formatted(&a.value, a.debug)
                } else {
                    self.expr(&a.value)
                };
                closure_input.merge(v.clone());
                args.push(v);
            }
        }
        let mut closure_result: Option<Value> = None;
        for (i, a) in call.args.iter().enumerate() {
            if let Expr::Closure { params, body, .. } = &a.value {
                args[i] = self.closure(params, body, &closure_input);
                closure_result
                    .get_or_insert_with(Value::clean)
                    .merge(args[i].clone());
            }
        }
        let rules = self.program.rules;
        // `sorted(payload)` on a dict, `payload.keys()`: the key names only.
        if rules.key_views.contains(call.name.as_str()) {
            let only_arg = (call.args.len() == 1).then(|| &args[0]);
            if receiver.as_ref().or(only_arg).is_some_and(|v| v.mapping) {
                return Value::clean();
            }
        }
        // `opt.map(|u| u.id)`: the result is what the closure returns.
        if let Some(result) = closure_result
            && rules.maps.contains(call.name.as_str())
        {
            return result;
        }
        // `password.get_secret_value()`: the secret's value, named by the field it came from.
        if rules.reveals.contains(call.name.as_str())
            && let Some(Expr::Place(place)) = &call.receiver
        {
            let text = format!("{}.{}()", place_text(place), call.name);
            let mut v = receiver.clone().unwrap_or_default();
            v.clean = false;
            self.add_name_source(&mut v, place.leaf(), &text, call.span);
            return v;
        }
        if rules.is_sanitizer(&call.name) {
            return Value::clean();
        }
        if rules.drops(call) {
            return Value::clean();
        }
        if rules.dumps.contains(call.name.as_str()) || rules.dumps.contains(call.path.as_str()) {
            let target = receiver
                .as_ref()
                .filter(|r| r.ty.is_some())
                .or_else(|| args.iter().find(|a| a.ty.is_some()));
            if let Some(target) = target {
                let text = call.receiver.as_ref().map_or_else(
                    || {
                        call.args
                            .first()
                            .map(|a| expr_text(&a.value))
                            .unwrap_or_default()
                    },
                    expr_text,
                );
                let mut v = self.expand(target, Expansion::Serialize, call.span, &text);
                v.merge(target.clone());
                v.ty = None;
                return v;
            }
        }
        // `d.get("email")` reads a field like `d["email"]`.
        if let (
            Some(recv),
            Some(Part {
                value: Expr::Str { value: key, span },
                ..
            }),
        ) = (&receiver, call.args.first())
            && rules.getters.contains(call.name.as_str())
            && is_identifier(key)
        {
            let base_text = call.receiver.as_ref().map(expr_text).unwrap_or_default();
            let text = format!("{base_text}[{key:?}]");
            let qualifier = base_text.rsplit('.').next().unwrap_or_default().to_string();
            let v = self.field(recv, &qualifier, key, &text, *span);
            self.note_contents(&base_text, &v);
            return v;
        }
        // `emails.push(e)`: the receiver now holds what was added.
        if rules.mutators.contains(call.name.as_str())
            && let Some(Expr::Place(place)) = &call.receiver
        {
            let key = place_text(place);
            let mut added = Value::default();
            for a in &args {
                added.merge(a.clone());
            }
            let entry = self.env.entry(key.clone()).or_default();
            for l in added.labels {
                add_label(
                    &mut entry.labels,
                    with_hop(
                        l,
                        At {
                            unit: self.unit,
                            span: call.span,
                            note: format!("added to `{key}`").into(),
                        },
                    ),
                );
            }
            if !added.clean {
                entry.clean = false;
            }
            return Value::clean();
        }
        let receiver_ty = receiver.as_ref().and_then(|r| r.ty.clone());
        let callees = self.program.resolve(
            self.id,
            &call.name,
            &call.path,
            call.receiver.as_ref(),
            receiver_ty.as_deref(),
        );
        if !callees.is_empty() {
            return self.apply_summaries(call, &callees, receiver.as_ref(), &args);
        }
        // A project type's constructor, or an associated function on a type.
        let mut v = Value::default();
        // `user.get_full_name()`: what the rest of the name says.
        if let Some(rest) = getter_subject(&rules.getter_words, &call.name) {
            let text = format!("{}(...)", call.path);
            self.add_name_source(&mut v, &rest, &text, call.span);
        }
        if let Some(r) = receiver {
            v.merge(r);
        }
        for a in args {
            v.merge(a);
        }
        v.clean = false;
        if self.program.type_info(self.language, &call.name).is_some() {
            // A project type's constructor: what the object holds is its fields, which its
            // type says; printing it whole is decided by how the type prints itself.
            v.ty = Some(call.name.clone());
            v.labels.clear();
        } else if let Some(Expr::Place(p)) = &call.receiver {
            if (p.fields.is_empty() || p.fields == ["objects"])
                && self.program.type_info(self.language, &p.base).is_some()
            {
                v.ty = Some(p.base.clone());
            }
        } else if let Some((owner, _)) = call.path.rsplit_once("::") {
            let owner = owner.rsplit("::").next().unwrap_or(owner);
            if self.program.type_info(self.language, owner).is_some() {
                v.ty = Some(owner.to_string());
            }
        }
        v
    }

    fn apply_summaries(
        &mut self,
        call: &Call,
        callees: &[FnId],
        receiver: Option<&Value>,
        args: &[Value],
    ) -> Value {
        let mut result = Value::default();
        for &callee in callees {
            self.out.callees.push(callee);
            let f = self.program.function(callee);
            let bound = bind_arguments(f, call, receiver, args);
            let Some(summary) = self.summaries.get(&callee) else {
                if callee != self.id {
                    self.out.incomplete = true;
                }
                continue;
            };
            for label in &summary.ret {
                match label.origin {
                    Origin::Data(_) => add_label(
                        &mut result.labels,
                        with_hop(
                            label.clone(),
                            At {
                                unit: self.unit,
                                span: call.span,
                                note: format!("returned by `{}`", f.name).into(),
                            },
                        ),
                    ),
                    Origin::Param(i) => {
                        if let Some((arg, _)) = bound.get(i as usize).and_then(|b| b.as_ref()) {
                            for l in &arg.labels {
                                let mut l = l.clone();
                                l = with_hop(
                                    l,
                                    At {
                                        unit: self.unit,
                                        span: call.span,
                                        note: format!("passes through `{}`", f.name).into(),
                                    },
                                );
                                add_label(&mut result.labels, l);
                            }
                        }
                    }
                }
            }
            if result.ty.is_none() {
                result.ty.clone_from(&summary.ret_ty);
            }
            for ps in &summary.sinks {
                let Some((arg, arg_span)) = bound.get(ps.param as usize).and_then(|b| b.as_ref())
                else {
                    continue;
                };
                let param_name = f
                    .params
                    .get(ps.param as usize)
                    .map_or("?", |p| p.name.as_str());
                let entry = At {
                    unit: self.unit,
                    span: *arg_span,
                    note: format!("passed to `{}` as `{param_name}`", f.name).into(),
                };
                let mut data = Vec::new();
                for l in &arg.labels {
                    let mut l = with_hop(l.clone(), entry.clone());
                    for h in &ps.hops {
                        l = with_hop(l, h.clone());
                    }
                    match l.origin {
                        Origin::Data(_) => data.push(l),
                        Origin::Param(p) => self.out.summary.sinks.push(ParamSink {
                            param: p,
                            sink: ps.sink.clone(),
                            hops: l.hops,
                        }),
                    }
                }
                if !data.is_empty() {
                    self.out.hits.push(SinkHit {
                        sink: ps.sink.clone(),
                        labels: data,
                    });
                }
            }
        }
        result
    }

    /// `#[instrument]` and the like: the function's own parameters are logged on entry.
    fn attribute_sinks(&mut self) {
        let Some(rules) = self.program.language_rules(self.unit) else {
            return;
        };
        for decorator in &self.function.decorators {
            for sink in &rules.sinks {
                let Some(Some(skipped)) = sink.attribute_skips(decorator) else {
                    continue;
                };
                let span = self.attribute_span(decorator);
                let mut logged = Value::default();
                for param in &self.function.params {
                    if param.name == "self" || skipped.contains(&param.name) {
                        continue;
                    }
                    let v = self.formatted(
                        &Expr::Place(Place::var(param.name.clone(), param.span)),
                        true,
                    );
                    logged.merge(v);
                }
                let callee = format!("#[{}]", decorator.split('(').next().unwrap_or(decorator));
                self.record_sink(span, callee, SinkKind::Log, None, logged);
            }
        }
    }

    /// Where an attribute of this function is written: the last `#[` before the function's
    /// name whose text starts with the attribute's name.
    fn attribute_span(&self, decorator: &str) -> Span {
        let text = &self.program.units[self.unit as usize].text;
        let name = decorator.split('(').next().unwrap_or(decorator);
        let before = &text[..(self.function.span.start as usize).min(text.len())];
        let mut search = before;
        while let Some(at) = search.rfind("#[") {
            let after = &before[at + 2..];
            if after.trim_start().starts_with(name) {
                let end = after.find('\n').map_or(before.len(), |e| at + 2 + e);
                return Span::new(at, end);
            }
            search = &before[..at];
        }
        self.function.span
    }

    /// Records what reaches a sink: personal data as a hit, parameters in the summary.
    fn record_sink(
        &mut self,
        span: Span,
        callee: String,
        kind: SinkKind,
        target: Option<String>,
        logged: Value,
    ) {
        let sink_ref = SinkRef {
            unit: self.unit,
            span,
            callee,
            kind,
            target,
        };
        let mut data = Vec::new();
        for label in logged.labels {
            match label.origin {
                Origin::Data(_) => data.push(label),
                Origin::Param(p) => self.out.summary.sinks.push(ParamSink {
                    param: p,
                    sink: sink_ref.clone(),
                    hops: label.hops,
                }),
            }
        }
        // A call to a third party or a host is recorded even without personal data: that the
        // code talks to it at all is what keeps its declaration from being stale.
        if !data.is_empty() || sink_ref.target.is_some() {
            self.out.hits.push(SinkHit {
                sink: sink_ref,
                labels: data,
            });
        }
    }

    /// A call that hands its arguments to a store, a file, a queue or an HTTP request.
    /// `named` is the call that says where to (the request a body is chained on).
    fn data_call(&mut self, call: &Call, sink: &Sink, named: &Call) {
        let mut sent = Value::default();
        for (i, part) in call.args.iter().enumerate() {
            let skipped = (sink.skip_first && i == 0)
                || part
                    .key
                    .as_deref()
                    .is_some_and(|k| sink.skip_keywords.contains(k));
            let mut v = self.expr(&part.value);
            // A document or key-value store (`keeps:`) serialises a whole object it is given:
            // `collection.insert_one(profile)` stores the profile's personal fields.
            if sink.keeps.is_some() && v.ty.is_some() {
                let text = expr_text(&part.value);
                let fields = self.expand(&v, Expansion::Serialize, part.value.span(), &text);
                v.merge(fields);
            }
            if !skipped {
                sent.merge(v);
            }
        }
        if !std::ptr::eq(call, named) {
            // The URL of the request a body is chained on can carry data too.
            for part in &named.args {
                let v = self.expr(&part.value);
                sent.merge(v);
            }
        }
        let target = (sink.kind == SinkKind::Http)
            .then(|| self.host_of(url_arg(sink, named)))
            .flatten();
        // `client.post(url).json(&body)` is shown as `post(…).json`, the request it belongs to.
        let callee = if std::ptr::eq(call, named) {
            call.path.clone()
        } else {
            format!("{}(…).{}", named.path, call.name)
        };
        self.record_sink(call.span, callee, sink.kind, target, sent);
    }

    /// The host an HTTP request goes to, when the code spells it: a URL literal, the literal
    /// start of a formatted URL, or a module constant holding one.
    fn host_of(&self, url: Option<&Expr>) -> Option<String> {
        use crate::rules::recipients::{host_of, host_of_prefix};
        match url? {
            Expr::Str { value, .. } => host_of(value),
            Expr::Compound(c) => match c.parts.first().map(|p| &p.value) {
                Some(Expr::Str { value, .. }) => host_of_prefix(value),
                Some(Expr::Place(p)) if p.fields.is_empty() => self.program.units
                    [self.unit as usize]
                    .constants
                    .get(&p.base)
                    .and_then(|base| host_of(base)),
                _ => None,
            },
            Expr::Place(p) if p.fields.is_empty() => self.program.units[self.unit as usize]
                .constants
                .get(&p.base)
                .and_then(|v| host_of(v)),
            _ => None,
        }
    }

    /// A call that writes its arguments to a log.
    fn log_call(&mut self, call: &Call, sink: &Sink) {
        let callee = if call.is_macro {
            format!("{}!", call.path)
        } else {
            call.path.clone()
        };
        let mut logged = Value::default();
        for (i, part) in call.args.iter().enumerate() {
            if sink.skip_first && i == 0 {
                self.expr(&part.value);
                continue;
            }
            if part
                .key
                .as_deref()
                .is_some_and(|k| sink.skip_keywords.contains(k))
            {
                self.expr(&part.value);
                continue;
            }
            // Python's logging and print turn objects into text with str(); keyword arguments
            // of structured loggers are rendered with repr().
            let debug = part.debug || (self.language == Language::Python && part.key.is_some());
            let mut v = self.formatted(&part.value, debug);
            if let Some(key) = part.key.as_deref()
                && !v.clean
                && !matches!(part.value, Expr::Str { .. })
            {
                let leaf = key.rsplit('.').next().unwrap_or(key);
                self.add_name_source(&mut v, leaf, key, part.value.span());
            }
            logged.merge(v);
        }
        self.record_sink(call.span, callee, SinkKind::Log, None, logged);
    }
}

/// The argument of a request call that holds its URL: a `url=` keyword, else the first
/// positional argument (the second for `request("POST", url)`).
fn url_arg<'c>(sink: &Sink, call: &'c Call) -> Option<&'c Expr> {
    if let Some(p) = call.args.iter().find(|p| {
        p.key
            .as_deref()
            .is_some_and(|k| sink.url_keywords.iter().any(|u| u == k))
    }) {
        return Some(&p.value);
    }
    let mut positional = call.args.iter().filter(|p| p.key.is_none());
    let first = positional.next()?;
    if call.name == "request"
        && let Expr::Str { value, .. } = &first.value
        && value.chars().all(|c| c.is_ascii_alphabetic())
    {
        return positional.next().map(|p| &p.value);
    }
    Some(&first.value)
}

/// Whether an expression looks like a URL: a literal with a scheme, a module constant holding
/// one, or a name that says so (`url`, `endpoint`); a formatted string starting with one.
fn url_like(expr: Option<&Expr>, constants: &HashMap<String, String>) -> bool {
    let Some(expr) = expr else { return false };
    match expr {
        Expr::Str { value, .. } => value.contains("://"),
        Expr::Compound(c) => url_like(c.parts.first().map(|p| &p.value), constants),
        Expr::Place(p) => {
            if p.fields.is_empty() && constants.get(&p.base).is_some_and(|v| v.contains("://")) {
                return true;
            }
            let leaf = p.leaf().to_ascii_lowercase();
            ["url", "uri", "endpoint", "webhook", "href", "link"]
                .iter()
                .any(|w| leaf.contains(w))
        }
        _ => false,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expansion {
    Debug,
    Display,
    Serialize,
}

/// Each parameter of `f` with the value the call passes to it and where.
fn bind_arguments(
    f: &Function,
    call: &Call,
    receiver: Option<&Value>,
    args: &[Value],
) -> Vec<Option<(Value, Span)>> {
    let mut bound: Vec<Option<(Value, Span)>> = vec![None; f.params.len()];
    let has_self = f
        .params
        .first()
        .is_some_and(|p| p.name == "self" || p.name == "cls");
    let mut next = 0;
    if has_self {
        // `obj.method(x)`: the receiver is `self`. `Type::method(obj, x)`: the first argument is.
        if let (Some(r), Some(expr)) = (receiver, call.receiver.as_ref()) {
            if !f.params.is_empty() {
                bound[0] = Some((r.clone(), expr.span()));
            }
            next = 1;
        }
    }
    for (part, value) in call.args.iter().zip(args) {
        let index = if let Some(key) = &part.key {
            f.params.iter().position(|p| &p.name == key)
        } else {
            let i = next;
            next += 1;
            Some(i)
        };
        if let Some(i) = index.filter(|i| *i < bound.len()) {
            bound[i] = Some((value.clone(), part.value.span()));
        }
    }
    bound
}

fn field_ty_is_clean(
    language: Language,
    field_types: &HashMap<String, String>,
    field: &str,
    program: &Program<'_>,
) -> bool {
    // A field of a known type that is not personal is clean, unless it holds an object.
    field_types
        .get(field)
        .is_none_or(|t| program.type_in(language, t).is_none())
}

/// `get_full_name` → `full_name`; `getEmail` → `Email`: the name after a getter word.
fn getter_subject(words: &HashSet<String>, name: &str) -> Option<String> {
    let tokens = crate::classify::tokens(name);
    if tokens.len() < 2 || !words.contains(tokens[0].as_str()) {
        return None;
    }
    Some(tokens[1..].join("_"))
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// A short text for an expression, for messages (`user.email`, `mask(...)`).
pub fn expr_text(expr: &Expr) -> String {
    match expr {
        Expr::Place(p) => place_text(p),
        Expr::Call(c) => {
            let bang = if c.is_macro { "!" } else { "" };
            format!("{}{bang}(...)", c.path)
        }
        Expr::Str { value, .. } => format!("{:?}", truncate(value, 40)),
        Expr::Compound(_) | Expr::Closure { .. } | Expr::Other(_) => "the value".to_string(),
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let head: String = s.chars().take(max).collect();
        format!("{head}…")
    }
}

/// A category name inside a sentence: "email address", but "IP address" (an acronym keeps its
/// case).
pub fn in_sentence(name: &str) -> String {
    let mut chars = name.chars();
    let (Some(first), second) = (chars.next(), chars.next()) else {
        return String::new();
    };
    if second.is_some_and(char::is_uppercase) {
        return name.to_string();
    }
    first
        .to_lowercase()
        .chain(name[first.len_utf8()..].chars())
        .collect()
}

/// "an email address", "a phone number", "an IP address".
pub fn article(name: &str) -> String {
    let name = in_sentence(name);
    let vowel_sound =
        name.chars().next().is_some_and(|c| "aeioAEIO".contains(c)) || name.starts_with("IP");
    if vowel_sound {
        format!("an {name}")
    } else {
        format!("a {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::{article, in_sentence};

    #[test]
    fn names_in_sentences_keep_acronyms() {
        assert_eq!(in_sentence("Email address"), "email address");
        assert_eq!(in_sentence("IP address"), "IP address");
        assert_eq!(article("IP address"), "an IP address");
        assert_eq!(article("Phone number"), "a phone number");
        assert_eq!(article("Email address"), "an email address");
    }
}
