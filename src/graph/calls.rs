//! The call graph and the order of propagation: callees before callers, recursive groups of
//! functions iterated until their summaries stop changing.

use super::eval::{Evaluator, Value};
use super::{FnId, Program, SinkHit, Summary};
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use rayon::prelude::*;
use std::collections::HashMap;

/// How often a recursive group of functions is re-evaluated at most.
const MAX_ROUNDS: usize = 6;

/// The call graph: an edge from each function to each function it calls.
pub struct CallGraph {
    pub graph: DiGraph<FnId, ()>,
    pub nodes: HashMap<FnId, NodeIndex>,
}

/// Runs the propagation over the whole program and returns every sink reached by personal data.
pub fn propagate(program: &Program<'_>) -> (Vec<SinkHit>, CallGraph) {
    let functions = program.all_functions();
    let empty: HashMap<FnId, Summary> = HashMap::new();

    // Module bodies first: their variables are the globals of their file's functions.
    let globals: HashMap<u32, HashMap<String, Value>> = functions
        .par_iter()
        .filter(|id| program.function(**id).is_module_body)
        .map(|id| {
            let (_, env) = Evaluator::new(program, *id, &empty, None).run();
            (id.unit, env)
        })
        .collect();

    // Discovery pass: which functions each function calls, without summaries.
    let callees: Vec<(FnId, Vec<FnId>)> = functions
        .par_iter()
        .map(|id| {
            let (outcome, _) = Evaluator::new(program, *id, &empty, globals.get(&id.unit)).run();
            (*id, outcome.callees)
        })
        .collect();
    let mut graph = DiGraph::<FnId, ()>::with_capacity(functions.len(), 0);
    let mut nodes = HashMap::with_capacity(functions.len());
    for id in &functions {
        nodes.insert(*id, graph.add_node(*id));
    }
    for (caller, list) in &callees {
        for callee in list {
            graph.add_edge(nodes[caller], nodes[callee], ());
        }
    }

    // Callees first (tarjan_scc yields components in reverse topological order).
    let mut summaries: HashMap<FnId, Summary> = HashMap::with_capacity(functions.len());
    let mut hits: HashMap<FnId, Vec<SinkHit>> = HashMap::new();
    for component in tarjan_scc(&graph) {
        let members: Vec<FnId> = component.iter().map(|n| graph[*n]).collect();
        let recursive = members.len() > 1 || graph.contains_edge(component[0], component[0]);
        let rounds = if recursive { MAX_ROUNDS } else { 1 };
        for _ in 0..rounds {
            let mut changed = false;
            for id in &members {
                let (outcome, _) =
                    Evaluator::new(program, *id, &summaries, globals.get(&id.unit)).run();
                if summaries.get(id).map(Summary::shape) != Some(outcome.summary.shape()) {
                    changed = true;
                }
                summaries.insert(*id, outcome.summary);
                hits.insert(*id, outcome.hits);
            }
            if !changed {
                break;
            }
        }
    }
    let mut all: Vec<SinkHit> = hits.into_values().flatten().collect();
    all.sort_by(|a, b| a.sink.cmp(&b.sink));
    (all, CallGraph { graph, nodes })
}
