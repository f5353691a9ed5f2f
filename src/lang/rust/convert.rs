//! syn's tree → [`FileFacts`]: items, statements and expressions. Macros live in `macros.rs`.

use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;

use crate::ir::{
    Call, Compound, CompoundKind, Expr, FieldDef, FileFacts, Function, Import, Param, Part, Place,
    Span, Stmt, TypeDef,
};
use crate::lang::MAX_NESTING;

/// Whether a construct's value is wanted (`let x = if …`) or only its effects (`if …;`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Want {
    Value,
    Effect,
}

/// One name a pattern binds, and the field path from the matched value to it.
struct Binding {
    name: String,
    span: Span,
    fields: Vec<String>,
    /// The binding is the whole pattern (`x`, `mut x`), so a declared type applies to it.
    direct: bool,
}

pub(super) struct Converter<'a> {
    pub(super) src: &'a str,
    pub(super) facts: FileFacts,
    module_body: Vec<Stmt>,
    /// `impl Trait for Type`: (type name, trait last segment, span of the self type).
    impls: Vec<(String, String, Span)>,
    depth: usize,
    cut_noted: bool,
}

impl<'a> Converter<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        Self {
            src,
            facts: FileFacts::default(),
            module_body: Vec::new(),
            impls: Vec::new(),
            depth: 0,
            cut_noted: false,
        }
    }

    pub(super) fn file(mut self, file: &syn::File) -> FileFacts {
        for item in &file.items {
            self.item(item, None);
        }
        if !self.module_body.is_empty() {
            let body = std::mem::take(&mut self.module_body);
            self.facts.functions.insert(
                0,
                Function {
                    name: "<module>".to_string(),
                    body,
                    span: Span::new(0, self.src.len()),
                    extent: Span::new(0, self.src.len()),
                    is_module_body: true,
                    ..Function::default()
                },
            );
        }
        for (ty, tr, span) in std::mem::take(&mut self.impls) {
            let label = format!("impl:{tr}");
            if let Some(def) = self.facts.types.iter_mut().find(|t| t.name == ty) {
                if !def.traits.contains(&label) {
                    def.traits.push(label);
                }
            } else {
                self.facts.types.push(TypeDef {
                    name: ty,
                    span,
                    extent: span,
                    fields: Vec::new(),
                    traits: vec![label],
                });
            }
        }
        self.facts
    }

    // ---- spans, text, nesting ----------------------------------------------------------------

    pub(super) fn sp(&self, s: proc_macro2::Span) -> Span {
        let r = s.byte_range();
        if r.end > self.src.len() {
            return Span::new(r.start.min(self.src.len()), self.src.len());
        }
        Span::new(r.start, r.end)
    }

    pub(super) fn span_of<T: Spanned + ?Sized>(&self, node: &T) -> Span {
        self.sp(node.span())
    }

    /// An expression's span from its first and last tokens, found by walking down its left and
    /// right edges (iteratively) instead of re-printing the whole subtree as `Spanned` does.
    pub(super) fn expr_span(&self, e: &syn::Expr) -> Span {
        let first = first_token_span(e);
        let last = last_token_span(e);
        self.sp(first.join(last).unwrap_or(first))
    }

    /// The source text of a node with whitespace normalised: `& 'a mut User` → `&'a mut User`.
    pub(super) fn text<T: Spanned + ?Sized>(&self, node: &T) -> String {
        let span = self.span_of(node);
        let raw = self
            .src
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        normalise(raw)
    }

    /// Counts one level of nesting; false (with a note, once) past [`MAX_NESTING`].
    pub(super) fn enter(&mut self) -> bool {
        if self.depth >= MAX_NESTING {
            if !self.cut_noted {
                self.cut_noted = true;
                self.facts.notes.push(format!(
                    "code nested more than {MAX_NESTING} levels deep: the deeper part was not analysed"
                ));
            }
            return false;
        }
        self.depth += 1;
        true
    }

    pub(super) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // ---- items ---------------------------------------------------------------------------------

    /// One item. `local` is the enclosing function body for items declared inside a function.
    fn item(&mut self, item: &syn::Item, local: Option<&mut Vec<Stmt>>) {
        if !self.enter() {
            return;
        }
        match item {
            syn::Item::Fn(f) => {
                self.function(&f.sig, &f.attrs, &f.block, None);
            }
            syn::Item::Impl(imp) => self.item_impl(imp, local),
            syn::Item::Trait(tr) => {
                let owner = tr.ident.unraw().to_string();
                for ti in &tr.items {
                    match ti {
                        syn::TraitItem::Fn(f) => {
                            if let Some(block) = &f.default {
                                self.function(&f.sig, &f.attrs, block, Some(&owner));
                            }
                        }
                        syn::TraitItem::Const(c) => {
                            if let Some((_, e)) = &c.default {
                                self.constant(&c.ident, &c.ty, e, self.span_of(c), None);
                            }
                        }
                        _ => {}
                    }
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    for it in items {
                        self.item(it, None);
                    }
                }
            }
            syn::Item::Const(c) => {
                let span = self.span_of(c);
                self.constant(&c.ident, &c.ty, &c.expr, span, local);
            }
            syn::Item::Static(s) => {
                let span = self.span_of(s);
                self.constant(&s.ident, &s.ty, &s.expr, span, local);
            }
            syn::Item::Struct(s) => {
                let fields = self.fields(&s.fields);
                let extent = self.span_of(s);
                self.typedef(&s.ident, &s.attrs, fields, extent);
            }
            syn::Item::Enum(e) => {
                let mut fields: Vec<FieldDef> = Vec::new();
                for v in &e.variants {
                    if let syn::Fields::Named(_) = v.fields {
                        for f in self.fields(&v.fields) {
                            if !fields.iter().any(|g| g.name == f.name) {
                                fields.push(f);
                            }
                        }
                    }
                }
                let extent = self.span_of(e);
                self.typedef(&e.ident, &e.attrs, fields, extent);
            }
            syn::Item::Use(u) => {
                let mut prefix = Vec::new();
                self.use_tree(&u.tree, &mut prefix);
            }
            syn::Item::ExternCrate(c) => {
                let name = c.ident.unraw().to_string();
                let alias = c
                    .rename
                    .as_ref()
                    .map_or_else(|| name.clone(), |(_, r)| r.unraw().to_string());
                self.facts.imports.push(Import { alias, path: name });
            }
            syn::Item::Macro(m) if !m.mac.path.is_ident("macro_rules") => {
                let mut scratch = Vec::new();
                let value = self.mac(&m.mac, &mut scratch);
                let body = match local {
                    Some(out) => out,
                    None => &mut self.module_body,
                };
                body.append(&mut scratch);
                body.push(Stmt::Expr(value));
            }
            _ => {}
        }
        self.leave();
    }

    fn item_impl(&mut self, imp: &syn::ItemImpl, mut local: Option<&mut Vec<Stmt>>) {
        let owner = type_name(&imp.self_ty).unwrap_or_else(|| self.text(&*imp.self_ty));
        if let Some((_, tr, _)) = &imp.trait_
            && let Some(last) = tr.segments.last()
        {
            let span = self.span_of(&*imp.self_ty);
            self.impls
                .push((owner.clone(), last.ident.unraw().to_string(), span));
        }
        for ii in &imp.items {
            match ii {
                syn::ImplItem::Fn(f) => {
                    self.function(&f.sig, &f.attrs, &f.block, Some(&owner));
                }
                syn::ImplItem::Const(c) => {
                    let span = self.span_of(c);
                    self.constant(&c.ident, &c.ty, &c.expr, span, local.as_deref_mut());
                }
                _ => {}
            }
        }
    }

    /// A `const`/`static`: an assignment in the module body (or in the enclosing function).
    fn constant(
        &mut self,
        ident: &syn::Ident,
        ty: &syn::Type,
        value: &syn::Expr,
        span: Span,
        local: Option<&mut Vec<Stmt>>,
    ) {
        let mut scratch = Vec::new();
        let value = self.expr(value, &mut scratch);
        let ty = Some(self.text(ty));
        let target = Place::var(ident.unraw().to_string(), self.span_of(ident));
        let body = match local {
            Some(out) => out,
            None => &mut self.module_body,
        };
        body.append(&mut scratch);
        body.push(Stmt::Assign {
            target,
            ty,
            value,
            span,
        });
    }

    fn fields(&self, fields: &syn::Fields) -> Vec<FieldDef> {
        fields
            .iter()
            .enumerate()
            .map(|(i, f)| match &f.ident {
                Some(id) => FieldDef {
                    name: id.unraw().to_string(),
                    ty: Some(self.text(&f.ty)),
                    span: self.span_of(id),
                },
                None => FieldDef {
                    name: i.to_string(),
                    ty: Some(self.text(&f.ty)),
                    span: self.span_of(&f.ty),
                },
            })
            .collect()
    }

    fn typedef(
        &mut self,
        ident: &syn::Ident,
        attrs: &[syn::Attribute],
        fields: Vec<FieldDef>,
        extent: Span,
    ) {
        let mut traits = Vec::new();
        for attr in attrs {
            if attr.path().is_ident("derive")
                && let Ok(paths) =
                    attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            {
                for p in paths {
                    if let Some(last) = p.segments.last() {
                        traits.push(last.ident.unraw().to_string());
                    }
                }
            }
            // `#[diesel(table_name = users)]`, `#[sea_orm(table_name = "users")]`,
            // `#[sqlx(rename = ...)]` aside: the table a model maps to, as `table:users`.
            if (attr.path().is_ident("diesel") || attr.path().is_ident("sea_orm"))
                && let syn::Meta::List(list) = &attr.meta
            {
                let text: String = list
                    .tokens
                    .to_string()
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                if let Some(rest) = text.split("table_name").nth(1) {
                    let name: String = rest
                        .trim_start_matches([' ', '='])
                        .trim_start()
                        .trim_start_matches('"')
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                        .collect();
                    let name = name.rsplit("::").next().unwrap_or(&name).to_string();
                    if !name.is_empty() {
                        traits.push(format!("table:{name}"));
                    }
                }
            }
        }
        self.facts.types.push(TypeDef {
            name: ident.unraw().to_string(),
            span: self.span_of(ident),
            extent,
            fields,
            traits,
        });
    }

    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        if !self.enter() {
            return;
        }
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.unraw().to_string());
                self.use_tree(&p.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let name = n.ident.unraw().to_string();
                let (alias, path) = if name == "self" {
                    (
                        prefix.last().cloned().unwrap_or_default(),
                        prefix.join("::"),
                    )
                } else {
                    (name.clone(), join_path(prefix, &name))
                };
                self.facts.imports.push(Import { alias, path });
            }
            syn::UseTree::Rename(r) => {
                let name = r.ident.unraw().to_string();
                let path = if name == "self" {
                    prefix.join("::")
                } else {
                    join_path(prefix, &name)
                };
                self.facts.imports.push(Import {
                    alias: r.rename.unraw().to_string(),
                    path,
                });
            }
            syn::UseTree::Glob(_) => self.facts.imports.push(Import {
                alias: "*".to_string(),
                path: prefix.join("::"),
            }),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(t, prefix);
                }
            }
        }
        self.leave();
    }

    // ---- functions -----------------------------------------------------------------------------

    fn function(
        &mut self,
        sig: &syn::Signature,
        attrs: &[syn::Attribute],
        block: &syn::Block,
        owner: Option<&str>,
    ) {
        // Reserve the slot first so nested fns (pushed while the body is read) come after it.
        let index = self.facts.functions.len();
        self.facts.functions.push(Function::default());
        let mut params = Vec::new();
        for input in &sig.inputs {
            match input {
                syn::FnArg::Receiver(r) => params.push(Param {
                    name: "self".to_string(),
                    ty: owner.map(str::to_string),
                    span: self.span_of(&r.self_token),
                }),
                syn::FnArg::Typed(pt) => self.params(&pt.pat, Some(&pt.ty), &mut params),
            }
        }
        let ret_ty = match &sig.output {
            syn::ReturnType::Default => None,
            syn::ReturnType::Type(_, ty) => Some(self.text(&**ty)),
        };
        let decorators = attrs
            .iter()
            .filter(|a| !a.path().is_ident("doc"))
            .map(|a| self.text(&a.meta))
            .collect();
        let mut body = Vec::new();
        // A function returning `()` has no value worth tracking in its tail.
        let want = if ret_ty.is_some() {
            Want::Value
        } else {
            Want::Effect
        };
        let tail = self.block(block, &mut body, want);
        push_return(&mut body, tail);
        let span = self.sp(sig.ident.span());
        let start = attrs.first().map_or_else(
            || self.sp(sig.fn_token.span).start,
            |a| self.sp(a.pound_token.span).start,
        );
        let end = self.sp(block.brace_token.span.close()).end.max(span.end);
        let extent = Span {
            start: start.min(span.start),
            end,
        };
        if let Some(slot) = self.facts.functions.get_mut(index) {
            *slot = Function {
                name: sig.ident.unraw().to_string(),
                owner: owner.map(str::to_string),
                params,
                ret_ty,
                decorators,
                body,
                span,
                extent,
                is_module_body: false,
            };
        }
    }

    /// The parameters one pattern declares: `x: T` → `x`; destructured → one untyped per name.
    fn params(&mut self, pat: &syn::Pat, ty: Option<&syn::Type>, out: &mut Vec<Param>) {
        let ty_text = ty.map(|t| self.text(t));
        match pat {
            syn::Pat::Ident(pi) if pi.subpat.is_none() => out.push(Param {
                name: pi.ident.unraw().to_string(),
                ty: ty_text,
                span: self.span_of(&pi.ident),
            }),
            syn::Pat::Wild(w) => out.push(Param {
                name: "_".to_string(),
                ty: ty_text,
                span: self.span_of(w),
            }),
            syn::Pat::Type(pt) => self.params(&pt.pat, Some(&pt.ty), out),
            _ => {
                let bindings = self.bindings(pat);
                if bindings.is_empty() {
                    out.push(Param {
                        name: "_".to_string(),
                        ty: None,
                        span: self.span_of(pat),
                    });
                }
                for b in bindings {
                    out.push(Param {
                        name: b.name,
                        ty: None,
                        span: b.span,
                    });
                }
            }
        }
    }

    // ---- patterns ------------------------------------------------------------------------------

    fn bindings(&mut self, pat: &syn::Pat) -> Vec<Binding> {
        let mut acc = Vec::new();
        let mut path = Vec::new();
        self.collect_bindings(pat, &mut path, &mut acc, true);
        acc
    }

    fn collect_bindings(
        &mut self,
        pat: &syn::Pat,
        path: &mut Vec<String>,
        acc: &mut Vec<Binding>,
        direct: bool,
    ) {
        if !self.enter() {
            return;
        }
        match pat {
            syn::Pat::Ident(pi) => {
                let name = pi.ident.unraw().to_string();
                // `None`, `MAX`: an unqualified constant or unit variant, not a binding.
                let is_constant = pi.by_ref.is_none()
                    && pi.mutability.is_none()
                    && pi.subpat.is_none()
                    && name.starts_with(|c: char| c.is_uppercase());
                if !is_constant && !acc.iter().any(|b| b.name == name) {
                    acc.push(Binding {
                        name,
                        span: self.span_of(&pi.ident),
                        fields: path.clone(),
                        direct: direct && pi.subpat.is_none(),
                    });
                }
                if let Some((_, sub)) = &pi.subpat {
                    self.collect_bindings(sub, path, acc, false);
                }
            }
            syn::Pat::Struct(ps) => {
                for f in &ps.fields {
                    path.push(member_name(&f.member));
                    self.collect_bindings(&f.pat, path, acc, false);
                    path.pop();
                }
            }
            syn::Pat::TupleStruct(p) => {
                // `Err(e)` binds the error, not the success value: project through `err` so
                // the binding does not take the `Ok` type of a `Result<T, E>`.
                let is_err = p.path.segments.last().is_some_and(|s| s.ident == "Err");
                if is_err {
                    path.push("err".to_string());
                }
                for e in &p.elems {
                    self.collect_bindings(e, path, acc, false);
                }
                if is_err {
                    path.pop();
                }
            }
            syn::Pat::Tuple(p) => {
                for e in &p.elems {
                    self.collect_bindings(e, path, acc, false);
                }
            }
            syn::Pat::Slice(p) => {
                for e in &p.elems {
                    self.collect_bindings(e, path, acc, false);
                }
            }
            syn::Pat::Or(p) => {
                for c in &p.cases {
                    self.collect_bindings(c, path, acc, false);
                }
            }
            syn::Pat::Reference(p) => self.collect_bindings(&p.pat, path, acc, direct),
            syn::Pat::Paren(p) => self.collect_bindings(&p.pat, path, acc, direct),
            syn::Pat::Type(p) => self.collect_bindings(&p.pat, path, acc, direct),
            _ => {}
        }
        self.leave();
    }

    /// Assigns every name `pat` binds from `value` (projected along struct-pattern fields).
    fn bind(
        &mut self,
        pat: &syn::Pat,
        value: &Expr,
        ty: Option<&str>,
        span: Span,
        out: &mut Vec<Stmt>,
    ) {
        for b in self.bindings(pat) {
            out.push(Stmt::Assign {
                target: Place::var(b.name, b.span),
                ty: if b.direct {
                    ty.map(str::to_string)
                } else {
                    None
                },
                value: project(value, &b.fields),
                span,
            });
        }
    }

    // ---- statements ----------------------------------------------------------------------------

    /// Emits a block's statements into `out`; returns its tail's value (`Other` when there is
    /// none or only effects are wanted).
    pub(super) fn block(&mut self, block: &syn::Block, out: &mut Vec<Stmt>, want: Want) -> Expr {
        let span = self.sp(block.brace_token.span.join());
        if !self.enter() {
            return Expr::Other(span);
        }
        let mut value = Expr::Other(span);
        let last = block.stmts.len().saturating_sub(1);
        for (i, stmt) in block.stmts.iter().enumerate() {
            match stmt {
                syn::Stmt::Local(local) => self.local(local, out),
                syn::Stmt::Item(item) => self.item(item, Some(out)),
                syn::Stmt::Expr(e, semi) => {
                    if i == last && semi.is_none() {
                        value = self.tail(e, out, want);
                    } else {
                        self.effect(e, out);
                    }
                }
                syn::Stmt::Macro(m) => {
                    if m.mac.path.is_ident("macro_rules") {
                        continue;
                    }
                    let v = self.mac(&m.mac, out);
                    if i == last && m.semi_token.is_none() && want == Want::Value {
                        value = v;
                    } else {
                        push_effect(out, v);
                    }
                }
            }
        }
        self.leave();
        value
    }

    fn local(&mut self, local: &syn::Local, out: &mut Vec<Stmt>) {
        let (pat, ty) = match &local.pat {
            syn::Pat::Type(pt) => (&*pt.pat, Some(self.text(&*pt.ty))),
            p => (p, None),
        };
        let Some(init) = &local.init else {
            return;
        };
        let value = self.expr(&init.expr, out);
        if let Some((_, diverge)) = &init.diverge {
            self.effect(diverge, out);
        }
        let span = self.sp(local
            .let_token
            .span
            .join(local.semi_token.span)
            .unwrap_or(local.let_token.span));
        if self.bindings(pat).is_empty() {
            // `let _ = send(&user.email);` binds nothing but still makes the call.
            push_effect(out, value);
            return;
        }
        self.bind(pat, &value, ty.as_deref(), span, out);
    }

    fn tail(&mut self, e: &syn::Expr, out: &mut Vec<Stmt>, want: Want) -> Expr {
        match want {
            Want::Value => self.expr(e, out),
            Want::Effect => {
                self.effect(e, out);
                Expr::Other(self.expr_span(e))
            }
        }
    }

    /// An expression evaluated for its effects: control flow keeps its tails as statements.
    pub(super) fn effect(&mut self, e: &syn::Expr, out: &mut Vec<Stmt>) {
        if !self.enter() {
            return;
        }
        if let Some(v) = self.control(e, out, Want::Effect) {
            push_effect(out, v);
        } else {
            let v = self.expr(e, out);
            push_effect(out, v);
        }
        self.leave();
    }

    /// Control flow (`if`, `match`, loops, blocks); `None` if `e` is not control flow.
    fn control(&mut self, e: &syn::Expr, out: &mut Vec<Stmt>, want: Want) -> Option<Expr> {
        let span = self.expr_span(e);
        let value = match e {
            syn::Expr::If(x) => {
                self.condition(&x.cond, out);
                let mut tails = vec![self.block(&x.then_branch, out, want)];
                if let Some((_, els)) = &x.else_branch {
                    tails.push(self.tail(els, out, want));
                }
                merge_tails(tails, span)
            }
            syn::Expr::Match(x) => {
                let scrutinee = self.expr(&x.expr, out);
                out.push(Stmt::Branch {
                    condition: scrutinee.clone(),
                    span: self.expr_span(&x.expr),
                });
                let mut tails = Vec::new();
                for arm in &x.arms {
                    let arm_span = self.span_of(&arm.pat);
                    self.bind(&arm.pat, &scrutinee, None, arm_span, out);
                    if let Some((_, guard)) = &arm.guard {
                        self.condition(guard, out);
                    }
                    tails.push(self.tail(&arm.body, out, want));
                }
                merge_tails(tails, span)
            }
            syn::Expr::While(x) => {
                self.condition(&x.cond, out);
                self.block(&x.body, out, Want::Effect);
                Expr::Other(span)
            }
            syn::Expr::ForLoop(x) => {
                let iterable = self.expr(&x.expr, out);
                let pat_span = self.span_of(&*x.pat);
                self.bind(&x.pat, &iterable, None, pat_span, out);
                self.block(&x.body, out, Want::Effect);
                Expr::Other(span)
            }
            syn::Expr::Loop(x) => {
                self.block(&x.body, out, Want::Effect);
                Expr::Other(span)
            }
            syn::Expr::Block(x) => self.block(&x.block, out, want),
            syn::Expr::Unsafe(x) => self.block(&x.block, out, want),
            syn::Expr::Async(x) => self.block(&x.block, out, want),
            syn::Expr::TryBlock(x) => self.block(&x.block, out, want),
            syn::Expr::Const(x) => self.block(&x.block, out, want),
            _ => return None,
        };
        Some(value)
    }

    /// An `if`/`while`/guard condition: a `Branch`, plus the bindings of any `let` in it.
    fn condition(&mut self, cond: &syn::Expr, out: &mut Vec<Stmt>) {
        if !self.enter() {
            return;
        }
        match cond {
            syn::Expr::Let(l) => {
                let value = self.expr(&l.expr, out);
                out.push(Stmt::Branch {
                    condition: value.clone(),
                    span: self.expr_span(&l.expr),
                });
                let span = self.expr_span(cond);
                self.bind(&l.pat, &value, None, span, out);
            }
            syn::Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) && has_let(cond) => {
                self.condition(&b.left, out);
                self.condition(&b.right, out);
            }
            syn::Expr::Paren(p) => self.condition(&p.expr, out),
            _ => {
                let condition = self.expr(cond, out);
                out.push(Stmt::Branch {
                    condition,
                    span: self.expr_span(cond),
                });
            }
        }
        self.leave();
    }

    // ---- expressions ---------------------------------------------------------------------------

    /// An expression's value; statements it contains (blocks, nested control flow) go to `out`.
    pub(super) fn expr(&mut self, e: &syn::Expr, out: &mut Vec<Stmt>) -> Expr {
        if !self.enter() {
            return Expr::Other(self.expr_span(e));
        }
        let value = self.expr_inner(e, out);
        self.leave();
        value
    }

    #[allow(clippy::too_many_lines)] // one arm per syn expression kind reads best as one match
    fn expr_inner(&mut self, e: &syn::Expr, out: &mut Vec<Stmt>) -> Expr {
        if let Some(v) = self.control(e, out, Want::Value) {
            return v;
        }
        let span = self.expr_span(e);
        match e {
            syn::Expr::Path(p) => Expr::Place(Place::var(path_text(&p.path), span)),
            syn::Expr::Field(f) => {
                let base = self.expr(&f.base, out);
                field(base, member_name(&f.member), span)
            }
            syn::Expr::Index(ix) => {
                let base = self.expr(&ix.expr, out);
                if let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &*ix.index
                {
                    return field(base, s.value(), span);
                }
                let _ = self.expr(&ix.index, out);
                compound(CompoundKind::Other, vec![Part::positional(base)], span)
            }
            syn::Expr::Paren(x) => self.expr(&x.expr, out),
            syn::Expr::Group(x) => self.expr(&x.expr, out),
            syn::Expr::Reference(x) => self.expr(&x.expr, out),
            syn::Expr::Try(x) => self.expr(&x.expr, out),
            syn::Expr::Await(x) => self.expr(&x.base, out),
            syn::Expr::Cast(x) => self.expr(&x.expr, out),
            syn::Expr::Unary(u) => {
                let inner = self.expr(&u.expr, out);
                match u.op {
                    syn::UnOp::Not(_) => {
                        compound(CompoundKind::Boolean, vec![Part::positional(inner)], span)
                    }
                    syn::UnOp::Neg(_) => {
                        compound(CompoundKind::Concat, vec![Part::positional(inner)], span)
                    }
                    _ => inner,
                }
            }
            syn::Expr::Lit(l) => match &l.lit {
                syn::Lit::Str(s) => Expr::Str {
                    value: s.value(),
                    span,
                },
                _ => Expr::Other(span),
            },
            syn::Expr::Binary(b) => self.binary(b, out, span),
            syn::Expr::Assign(a) => {
                let value = self.expr(&a.right, out);
                self.assign(&a.left, value, span, out);
                Expr::Other(span)
            }
            syn::Expr::Call(c) => {
                let (name, path) = match &*c.func {
                    syn::Expr::Path(p) => (last_segment(&p.path), path_text(&p.path)),
                    other => match self.expr(other, out) {
                        Expr::Place(pl) => (pl.leaf().to_string(), place_text(&pl)),
                        _ => (String::new(), String::new()),
                    },
                };
                let args = c
                    .args
                    .iter()
                    .map(|a| Part::positional(self.expr(a, out)))
                    .collect();
                call(name, path, None, args, false, span)
            }
            syn::Expr::MethodCall(m) => {
                let receiver = self.expr(&m.receiver, out);
                let name = m.method.unraw().to_string();
                let path = match &receiver {
                    Expr::Place(p) => format!("{}.{name}", place_text(p)),
                    _ => name.clone(),
                };
                let args = m
                    .args
                    .iter()
                    .map(|a| Part::positional(self.expr(a, out)))
                    .collect();
                call(name, path, Some(receiver), args, false, span)
            }
            syn::Expr::Struct(s) => {
                let mut args: Vec<Part> = s
                    .fields
                    .iter()
                    .map(|f| Part {
                        key: Some(member_name(&f.member)),
                        value: self.expr(&f.expr, out),
                        debug: false,
                    })
                    .collect();
                if let Some(rest) = &s.rest {
                    args.push(Part::positional(self.expr(rest, out)));
                }
                call(
                    last_segment(&s.path),
                    path_text(&s.path),
                    None,
                    args,
                    false,
                    span,
                )
            }
            syn::Expr::Tuple(t) => {
                let parts = t
                    .elems
                    .iter()
                    .map(|x| Part::positional(self.expr(x, out)))
                    .collect();
                compound(CompoundKind::Container, parts, span)
            }
            syn::Expr::Array(a) => {
                let parts = a
                    .elems
                    .iter()
                    .map(|x| Part::positional(self.expr(x, out)))
                    .collect();
                compound(CompoundKind::Container, parts, span)
            }
            syn::Expr::Repeat(r) => {
                let v = self.expr(&r.expr, out);
                compound(CompoundKind::Container, vec![Part::positional(v)], span)
            }
            syn::Expr::Range(r) => {
                let mut parts = Vec::new();
                for x in [&r.start, &r.end].into_iter().flatten() {
                    parts.push(Part::positional(self.expr(x, out)));
                }
                compound(CompoundKind::Other, parts, span)
            }
            syn::Expr::Closure(c) => self.closure(c, span),
            syn::Expr::Macro(m) => self.mac(&m.mac, out),
            syn::Expr::Return(r) => {
                let value = match &r.expr {
                    Some(x) => self.expr(x, out),
                    None => Expr::Other(span),
                };
                out.push(Stmt::Return { value, span });
                Expr::Other(span)
            }
            syn::Expr::Break(b) => {
                if let Some(x) = &b.expr {
                    let v = self.expr(x, out);
                    push_effect(out, v);
                }
                Expr::Other(span)
            }
            syn::Expr::Yield(y) => {
                if let Some(x) = &y.expr {
                    let v = self.expr(x, out);
                    push_effect(out, v);
                }
                Expr::Other(span)
            }
            syn::Expr::Let(l) => {
                let value = self.expr(&l.expr, out);
                let lspan = span;
                self.bind(&l.pat, &value, None, lspan, out);
                compound(CompoundKind::Boolean, vec![Part::positional(value)], span)
            }
            _ => Expr::Other(span),
        }
    }

    /// Binary operators; a left-leaning chain of one kind (`a + b + c`) is read iteratively.
    fn binary(&mut self, b: &syn::ExprBinary, out: &mut Vec<Stmt>, span: Span) -> Expr {
        if is_compound_assign(&b.op) {
            let current = self.expr(&b.left, out);
            let rhs = self.expr(&b.right, out);
            let value = compound(
                CompoundKind::Concat,
                vec![Part::positional(current), Part::positional(rhs)],
                span,
            );
            self.assign(&b.left, value, span, out);
            return Expr::Other(span);
        }
        let kind = binop_kind(&b.op);
        let mut rights = vec![&*b.right];
        let mut left = &*b.left;
        while let syn::Expr::Binary(inner) = left {
            if is_compound_assign(&inner.op) || binop_kind(&inner.op) != kind {
                break;
            }
            rights.push(&*inner.right);
            left = &*inner.left;
        }
        let mut parts = vec![Part::positional(self.expr(left, out))];
        for r in rights.into_iter().rev() {
            parts.push(Part::positional(self.expr(r, out)));
        }
        compound(kind, parts, span)
    }

    /// `lhs = value`: an `Assign` when the left side names a place (`a.b`, `*x`, `v[i]`).
    fn assign(&mut self, lhs: &syn::Expr, value: Expr, span: Span, out: &mut Vec<Stmt>) {
        match lhs {
            syn::Expr::Tuple(t) => {
                for x in &t.elems {
                    self.assign(x, value.clone(), span, out);
                }
                return;
            }
            syn::Expr::Index(ix) => {
                // Writing into a container taints the container.
                let mut scratch = Vec::new();
                if let Expr::Place(mut p) = self.expr(&ix.expr, &mut scratch) {
                    if let syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) = &*ix.index
                    {
                        p.fields.push(s.value());
                    }
                    out.push(Stmt::Assign {
                        target: p,
                        ty: None,
                        value,
                        span,
                    });
                    return;
                }
            }
            _ => {}
        }
        let mut scratch = Vec::new();
        match self.expr(lhs, &mut scratch) {
            Expr::Place(target) => out.push(Stmt::Assign {
                target,
                ty: None,
                value,
                span,
            }),
            _ => push_effect(out, value),
        }
    }

    fn closure(&mut self, c: &syn::ExprClosure, span: Span) -> Expr {
        let mut params = Vec::new();
        for input in &c.inputs {
            self.params(input, None, &mut params);
        }
        let mut body = Vec::new();
        let value = match &*c.body {
            syn::Expr::Block(b) if b.label.is_none() => {
                self.block(&b.block, &mut body, Want::Value)
            }
            other => self.expr(other, &mut body),
        };
        push_return(&mut body, value);
        Expr::Closure { params, body, span }
    }
}

// ---- helpers ---------------------------------------------------------------------------------

/// Collapses whitespace, keeping one space only between two word characters.
pub(super) fn normalise(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    for c in raw.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            let prev_word = out.chars().last().is_some_and(is_word);
            if prev_word && is_word(c) {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
    }
    out
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '\''
}

fn join_path(prefix: &[String], name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{}::{name}", prefix.join("::"))
    }
}

pub(super) fn path_text(p: &syn::Path) -> String {
    p.segments
        .iter()
        .map(|s| s.ident.unraw().to_string())
        .collect::<Vec<_>>()
        .join("::")
}

pub(super) fn last_segment(p: &syn::Path) -> String {
    p.segments
        .last()
        .map(|s| s.ident.unraw().to_string())
        .unwrap_or_default()
}

/// `self.logger` → "self.logger".
pub(super) fn place_text(p: &Place) -> String {
    let mut s = p.base.clone();
    for f in &p.fields {
        s.push('.');
        s.push_str(f);
    }
    s
}

fn member_name(m: &syn::Member) -> String {
    match m {
        syn::Member::Named(id) => id.unraw().to_string(),
        syn::Member::Unnamed(ix) => ix.index.to_string(),
    }
}

/// The name an `impl` attaches to: the last path segment of its self type.
fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => Some(last_segment(&p.path)),
        syn::Type::Reference(r) => type_name(&r.elem),
        syn::Type::Paren(p) => type_name(&p.elem),
        syn::Type::Group(g) => type_name(&g.elem),
        _ => None,
    }
}

/// `base.name`: a longer place, or for a non-place base the field as a keyed part.
fn field(base: Expr, name: String, span: Span) -> Expr {
    match base {
        Expr::Place(mut p) => {
            p.fields.push(name);
            p.span = span;
            Expr::Place(p)
        }
        other => compound(
            CompoundKind::Other,
            vec![Part {
                key: Some(name),
                value: other,
                debug: false,
            }],
            span,
        ),
    }
}

/// `value` followed along a struct pattern's field path.
fn project(value: &Expr, fields: &[String]) -> Expr {
    let span = value.span();
    fields
        .iter()
        .fold(value.clone(), |v, f| field(v, f.clone(), span))
}

pub(super) fn compound(kind: CompoundKind, parts: Vec<Part>, span: Span) -> Expr {
    Expr::Compound(Compound { kind, parts, span })
}

pub(super) fn call(
    name: String,
    path: String,
    receiver: Option<Expr>,
    args: Vec<Part>,
    is_macro: bool,
    span: Span,
) -> Expr {
    Expr::Call(Box::new(Call {
        name,
        path,
        receiver,
        args,
        is_macro,
        span,
    }))
}

/// The value of a construct with several possible results (if/match arms).
fn merge_tails(tails: Vec<Expr>, span: Span) -> Expr {
    let mut useful: Vec<Expr> = tails
        .into_iter()
        .filter(|t| !matches!(t, Expr::Other(_)))
        .collect();
    match useful.len() {
        0 => Expr::Other(span),
        1 => useful.pop().unwrap_or(Expr::Other(span)),
        _ => compound(
            CompoundKind::Other,
            useful.into_iter().map(Part::positional).collect(),
            span,
        ),
    }
}

pub(super) fn push_effect(out: &mut Vec<Stmt>, v: Expr) {
    if !matches!(v, Expr::Other(_)) {
        out.push(Stmt::Expr(v));
    }
}

fn push_return(out: &mut Vec<Stmt>, v: Expr) {
    if !matches!(v, Expr::Other(_)) {
        let span = v.span();
        out.push(Stmt::Return { value: v, span });
    }
}

fn has_let(e: &syn::Expr) -> bool {
    // Iterative: `a && b && c` leans left, and its depth is bounded by the pre-scan anyway.
    let mut stack = vec![e];
    while let Some(x) = stack.pop() {
        match x {
            syn::Expr::Let(_) => return true,
            syn::Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
                stack.push(&b.left);
                stack.push(&b.right);
            }
            syn::Expr::Paren(p) => stack.push(&p.expr),
            _ => {}
        }
    }
    false
}

fn is_compound_assign(op: &syn::BinOp) -> bool {
    use syn::BinOp as B;
    matches!(
        op,
        B::AddAssign(_)
            | B::SubAssign(_)
            | B::MulAssign(_)
            | B::DivAssign(_)
            | B::RemAssign(_)
            | B::BitXorAssign(_)
            | B::BitAndAssign(_)
            | B::BitOrAssign(_)
            | B::ShlAssign(_)
            | B::ShrAssign(_)
    )
}

fn binop_kind(op: &syn::BinOp) -> CompoundKind {
    use syn::BinOp as B;
    match op {
        B::Eq(_) | B::Ne(_) | B::Lt(_) | B::Le(_) | B::Gt(_) | B::Ge(_) | B::And(_) | B::Or(_) => {
            CompoundKind::Boolean
        }
        _ => CompoundKind::Concat,
    }
}

fn first_token_span(mut e: &syn::Expr) -> proc_macro2::Span {
    loop {
        e = match e {
            syn::Expr::MethodCall(x) => &x.receiver,
            syn::Expr::Field(x) => &x.base,
            syn::Expr::Call(x) => &x.func,
            syn::Expr::Index(x) => &x.expr,
            syn::Expr::Try(x) => &x.expr,
            syn::Expr::Await(x) => &x.base,
            syn::Expr::Binary(x) => &x.left,
            syn::Expr::Cast(x) => &x.expr,
            syn::Expr::Assign(x) => &x.left,
            syn::Expr::Range(x) => match &x.start {
                Some(s) => s,
                None => return x.limits.span(),
            },
            syn::Expr::If(x) => return x.if_token.span,
            syn::Expr::Match(x) => return x.match_token.span,
            syn::Expr::While(x) => return x.while_token.span,
            syn::Expr::ForLoop(x) => return x.for_token.span,
            syn::Expr::Loop(x) => return x.loop_token.span,
            syn::Expr::Block(x) => return x.block.brace_token.span.open(),
            syn::Expr::Unsafe(x) => return x.unsafe_token.span,
            syn::Expr::Async(x) => return x.async_token.span,
            syn::Expr::Closure(x) => return x.or1_token.span,
            syn::Expr::Tuple(x) => return x.paren_token.span.open(),
            syn::Expr::Paren(x) => return x.paren_token.span.open(),
            syn::Expr::Array(x) => return x.bracket_token.span.open(),
            syn::Expr::Reference(x) => return x.and_token.span,
            syn::Expr::Return(x) => return x.return_token.span,
            syn::Expr::Break(x) => return x.break_token.span,
            syn::Expr::Let(x) => return x.let_token.span,
            syn::Expr::Unary(x) => return x.op.span(),
            syn::Expr::Macro(x) => return x.mac.path.span(),
            syn::Expr::Struct(x) => return x.path.span(),
            other => return other.span(),
        };
    }
}

fn last_token_span(mut e: &syn::Expr) -> proc_macro2::Span {
    loop {
        e = match e {
            syn::Expr::MethodCall(x) => return x.paren_token.span.close(),
            syn::Expr::Call(x) => return x.paren_token.span.close(),
            syn::Expr::Field(x) => return x.member.span(),
            syn::Expr::Index(x) => return x.bracket_token.span.close(),
            syn::Expr::Try(x) => return x.question_token.span,
            syn::Expr::Await(x) => return x.await_token.span,
            syn::Expr::Binary(x) => &x.right,
            syn::Expr::Assign(x) => &x.right,
            syn::Expr::Unary(x) => &x.expr,
            syn::Expr::Reference(x) => &x.expr,
            syn::Expr::Closure(x) => &x.body,
            syn::Expr::Let(x) => &x.expr,
            syn::Expr::Return(x) => match &x.expr {
                Some(v) => v,
                None => return x.return_token.span,
            },
            syn::Expr::Break(x) => match &x.expr {
                Some(v) => v,
                None => return x.break_token.span,
            },
            syn::Expr::Range(x) => match &x.end {
                Some(v) => v,
                None => return x.limits.span(),
            },
            syn::Expr::If(x) => match &x.else_branch {
                Some((_, els)) => els,
                None => return x.then_branch.brace_token.span.close(),
            },
            syn::Expr::Match(x) => return x.brace_token.span.close(),
            syn::Expr::While(x) => return x.body.brace_token.span.close(),
            syn::Expr::ForLoop(x) => return x.body.brace_token.span.close(),
            syn::Expr::Loop(x) => return x.body.brace_token.span.close(),
            syn::Expr::Block(x) => return x.block.brace_token.span.close(),
            syn::Expr::Unsafe(x) => return x.block.brace_token.span.close(),
            syn::Expr::Async(x) => return x.block.brace_token.span.close(),
            syn::Expr::Tuple(x) => return x.paren_token.span.close(),
            syn::Expr::Paren(x) => return x.paren_token.span.close(),
            syn::Expr::Array(x) => return x.bracket_token.span.close(),
            syn::Expr::Struct(x) => return x.brace_token.span.close(),
            syn::Expr::Macro(x) => return x.mac.delimiter.span().close(),
            syn::Expr::Cast(x) => return x.ty.span(),
            other => return other.span(),
        };
    }
}
