//! The call graph and the order of propagation: callees before callers, recursive groups of
//! functions iterated until their summaries stop changing.
//!
//! The graph is built from the calls as written (receivers typed by their declared parameter
//! types), which is cheap and finds nearly every edge. Evaluation can resolve more calls (it
//! knows the types values get from constructors and return values); a function that meets a
//! callee without a summary yet is marked incomplete and evaluated again at the end, and any
//! function whose summary that changes has its callers evaluated again, until nothing changes.

use super::eval::{Evaluator, Outcome, Value};
use super::{FnId, Program, SinkHit, Summary};
use crate::ir::Expr;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// How often a recursive group of functions, or the final fix-up, is re-evaluated at most.
const MAX_ROUNDS: usize = 6;

/// The call graph: an edge from each function to each function it calls.
pub struct CallGraph {
    pub graph: DiGraph<FnId, ()>,
    pub nodes: HashMap<FnId, NodeIndex>,
}

/// Runs the propagation over the whole program and returns every sink reached by personal data.
pub fn propagate(program: &Program<'_>) -> (Vec<SinkHit>, CallGraph) {
    let functions = program.all_functions();
    let empty: HashMap<FnId, Summary> = HashMap::default();

    // Module bodies first: their variables are the globals of their file's functions.
    let globals: HashMap<u32, HashMap<String, Value>> = functions
        .par_iter()
        .filter(|id| program.function(**id).is_module_body)
        .map(|id| {
            let (_, env) = Evaluator::new(program, *id, &empty, None).run();
            (id.unit, env)
        })
        .collect();

    let callees: Vec<Vec<FnId>> = functions
        .par_iter()
        .map(|id| written_callees(program, *id))
        .collect();
    let mut graph = DiGraph::<FnId, ()>::with_capacity(functions.len(), 0);
    let mut nodes = HashMap::with_capacity_and_hasher(functions.len(), rustc_hash::FxBuildHasher);
    for id in &functions {
        nodes.insert(*id, graph.add_node(*id));
    }
    for (caller, list) in functions.iter().zip(&callees) {
        for callee in list {
            graph.add_edge(nodes[caller], nodes[callee], ());
        }
    }

    let evaluate = |id: FnId, summaries: &HashMap<FnId, Summary>| -> Outcome {
        Evaluator::new(program, id, summaries, globals.get(&id.unit))
            .run()
            .0
    };
    let mut summaries: HashMap<FnId, Summary> =
        HashMap::with_capacity_and_hasher(functions.len(), rustc_hash::FxBuildHasher);
    let mut outcomes: Outcomes = HashMap::default();

    for level in levels(&graph) {
        // The components of one level never call each other: evaluate them in parallel
        // against the summaries of the levels below.
        let (recursive, single): (Vec<Vec<NodeIndex>>, Vec<Vec<NodeIndex>>) = level
            .into_iter()
            .partition(|members| members.len() > 1 || graph.contains_edge(members[0], members[0]));
        let evaluated: Vec<(FnId, Outcome)> = single
            .par_iter()
            .map(|members| {
                let id = graph[members[0]];
                (id, evaluate(id, &summaries))
            })
            .collect();
        for (id, outcome) in evaluated {
            record(&mut summaries, &mut outcomes, id, outcome);
        }
        // Recursive groups (rare): their members see each other's summaries as they change.
        for members in recursive {
            for _ in 0..MAX_ROUNDS {
                let mut changed = false;
                for n in &members {
                    let id = graph[*n];
                    let outcome = evaluate(id, &summaries);
                    changed |= record(&mut summaries, &mut outcomes, id, outcome);
                }
                if !changed {
                    break;
                }
            }
        }
    }

    // Fix-up: calls the written graph missed.
    let mut called_by: HashMap<FnId, Vec<FnId>> = HashMap::default();
    for (caller, (_, list, _)) in &outcomes {
        for callee in list {
            called_by.entry(*callee).or_default().push(*caller);
        }
    }
    let mut pending: Vec<FnId> = outcomes
        .iter()
        .filter(|(_, (_, _, incomplete))| *incomplete)
        .map(|(id, _)| *id)
        .collect();
    for _ in 0..MAX_ROUNDS {
        if pending.is_empty() {
            break;
        }
        pending.sort();
        pending.dedup();
        let evaluated: Vec<(FnId, Outcome)> = pending
            .par_iter()
            .map(|id| (*id, evaluate(*id, &summaries)))
            .collect();
        let mut next = HashSet::default();
        for (id, outcome) in evaluated {
            for callee in &outcome.callees {
                let list = called_by.entry(*callee).or_default();
                if !list.contains(&id) {
                    list.push(id);
                }
            }
            if record(&mut summaries, &mut outcomes, id, outcome) {
                next.extend(called_by.get(&id).into_iter().flatten().copied());
            }
        }
        pending = next.into_iter().collect();
    }

    let mut all: Vec<SinkHit> = outcomes
        .into_values()
        .flat_map(|(hits, _, _)| hits)
        .collect();
    // Nothing reads the summaries from here on, and freeing thousands of them takes a
    // noticeable share of a large scan; no one waits for it.
    std::thread::spawn(move || drop((summaries, called_by)));
    all.sort_by(|a, b| a.sink.cmp(&b.sink));
    (all, CallGraph { graph, nodes })
}

/// Per function: its sink hits, the callees it resolved, and whether it was incomplete.
type Outcomes = HashMap<FnId, (Vec<SinkHit>, Vec<FnId>, bool)>;

/// Keeps a function's latest evaluation; whether its summary changed.
fn record(
    summaries: &mut HashMap<FnId, Summary>,
    outcomes: &mut Outcomes,
    id: FnId,
    outcome: Outcome,
) -> bool {
    let changed = summaries.get(&id).map(Summary::shape) != Some(outcome.summary.shape());
    summaries.insert(id, outcome.summary);
    outcomes.insert(id, (outcome.hits, outcome.callees, outcome.incomplete));
    changed
}

/// The strongly connected components of the call graph, grouped by level: a component's level
/// is one more than the highest level among the components it calls.
fn levels(graph: &DiGraph<FnId, ()>) -> Vec<Vec<Vec<NodeIndex>>> {
    // Callees first: tarjan_scc yields components in reverse topological order.
    let components = tarjan_scc(graph);
    let mut component_of = vec![0usize; graph.node_count()];
    for (c, members) in components.iter().enumerate() {
        for n in members {
            component_of[n.index()] = c;
        }
    }
    let mut level = vec![0usize; components.len()];
    for (c, members) in components.iter().enumerate() {
        level[c] = members
            .iter()
            .flat_map(|n| graph.neighbors(*n))
            .map(|callee| component_of[callee.index()])
            .filter(|callee| *callee != c)
            .map(|callee| level[callee] + 1)
            .max()
            .unwrap_or(0);
    }
    let mut out: Vec<Vec<Vec<NodeIndex>>> = Vec::new();
    for (members, l) in components.into_iter().zip(level) {
        if out.len() <= l {
            out.resize_with(l + 1, Vec::new);
        }
        out[l].push(members);
    }
    out
}

/// The functions a function calls as written, with receivers typed by declared parameter types.
fn written_callees(program: &Program<'_>, id: FnId) -> Vec<FnId> {
    let function = program.function(id);
    let language = program.units[id.unit as usize].language;
    let declared: HashMap<&str, String> = function
        .params
        .iter()
        .filter_map(|p| {
            let ty = if p.name == "self" || p.name == "cls" {
                function.owner.clone()
            } else {
                p.ty.as_deref().and_then(|t| program.type_in(language, t))
            };
            ty.map(|t| (p.name.as_str(), t))
        })
        .collect();
    let mut out = Vec::new();
    crate::ir::for_each_call(&function.body, |call| {
        if call.is_macro {
            return;
        }
        let receiver_ty = match &call.receiver {
            Some(Expr::Place(p)) if p.fields.is_empty() => {
                declared.get(p.base.as_str()).map(String::as_str)
            }
            _ => None,
        };
        out.extend(program.resolve(
            id,
            &call.name,
            &call.path,
            call.receiver.as_ref(),
            receiver_ty,
        ));
    });
    out.sort();
    out.dedup();
    out
}
