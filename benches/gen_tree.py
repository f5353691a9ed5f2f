#!/usr/bin/env python3
"""Writes a synthetic project of mixed Rust and Python with a realistic density of personal data:
models with personal fields, services that call each other across files, logging (some of it
leaking, most of it not), sanitizers. Usage: gen_tree.py OUT_DIR [TOTAL_LINES]."""
import os
import sys

RUST = '''use tracing::{{info, warn}};
use crate::models{n}::Customer{n};

#[derive(Debug, Clone)]
pub struct Order{n} {{
    pub id: u64,
    pub customer_id: u64,
    pub shipping_address: String,
    pub total_cents: i64,
    pub created_at: String,
}}

pub fn load_order_{n}(id: u64) -> Order{n} {{
    let order = Order{n} {{ id, customer_id: id * 7, shipping_address: String::new(), total_cents: 0, created_at: String::new() }};
    info!(order_id = id, "loaded order");
    order
}}

pub fn contact_{n}(c: &Customer{n}) -> String {{
    c.email.clone()
}}

pub fn notify_{n}(address: &str, subject: &str) {{
    let body = format!("Dear customer, {{}}", subject);
    if body.len() > 1000 {{
        warn!("body too long for {{}}", address);
    }}
    info!(len = body.len(), "queued notification");
}}

pub fn process_{n}(c: &Customer{n}, orders: &[Order{n}]) -> i64 {{
    let mut total = 0;
    for o in orders {{
        total += o.total_cents;
        info!(order = o.id, total, "processing");
    }}
    let to = contact_{n}(c);
    notify_{n}(&to, "your receipt");
    println!("processed {{}} orders for customer {{}}", orders.len(), c.id);
    let masked = mask_email(&c.email);
    info!("receipt sent to {{}}", masked);
    total
}}

fn mask_email(e: &str) -> String {{
    let at = e.find('@').unwrap_or(0);
    format!("{{}}***", &e[..at.min(1)])
}}
'''

RUST_MODEL = '''#[derive(Debug, Clone)]
pub struct Customer{n} {{
    pub id: u64,
    pub email: String,
    pub phone: String,
    pub full_name: String,
    pub is_verified: bool,
}}

impl Customer{n} {{
    pub fn new(id: u64, email: String, phone: String) -> Self {{
        Self {{ id, email, phone, full_name: String::new(), is_verified: false }}
    }}

    pub fn display_id(&self) -> String {{
        format!("customer-{{}}", self.id)
    }}
}}
'''

PY = '''import logging
from dataclasses import dataclass
from .models{n} import Customer{n}

logger = logging.getLogger(__name__)


@dataclass
class Order{n}:
    id: int
    customer_id: int
    shipping_address: str
    total_cents: int


def load_order_{n}(order_id):
    order = Order{n}(id=order_id, customer_id=order_id * 7, shipping_address="", total_cents=0)
    logger.info("loaded order %s", order.id)
    return order


def contact_{n}(customer):
    return customer.email


def notify_{n}(address, subject):
    body = "Dear customer, {{}}".format(subject)
    if len(body) > 1000:
        logger.warning("body too long for %s", address)
    logger.info("queued notification of %d chars", len(body))


def process_{n}(customer, orders):
    total = 0
    for o in orders:
        total += o.total_cents
        logger.debug("processing order %s total %s", o.id, total)
    to = contact_{n}(customer)
    notify_{n}(to, "your receipt")
    print(f"processed {{len(orders)}} orders for customer {{customer.id}}")
    masked = mask_email(customer.email)
    logger.info("receipt sent to %s", masked)
    return total


def mask_email(email):
    name, _, domain = email.partition("@")
    return name[:1] + "***@" + domain
'''

PY_MODEL = '''from pydantic import BaseModel


class Customer{n}(BaseModel):
    id: int
    email: str
    phone: str
    full_name: str
    is_verified: bool = False

    def display_id(self):
        return f"customer-{{self.id}}"
'''


def main():
    out = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    written = 0
    n = 0
    os.makedirs(os.path.join(out, "rust", "src"), exist_ok=True)
    os.makedirs(os.path.join(out, "python", "app"), exist_ok=True)
    while written < total:
        files = [
            (os.path.join(out, "rust", "src", f"orders{n}.rs"), RUST.format(n=n)),
            (os.path.join(out, "rust", "src", f"models{n}.rs"), RUST_MODEL.format(n=n)),
            (os.path.join(out, "python", "app", f"orders{n}.py"), PY.format(n=n)),
            (os.path.join(out, "python", "app", f"models{n}.py"), PY_MODEL.format(n=n)),
        ]
        for path, text in files:
            with open(path, "w") as f:
                f.write(text)
            written += text.count("\n")
        n += 1
    print(f"{written} lines in {4 * n} files under {out}")


if __name__ == "__main__":
    main()
