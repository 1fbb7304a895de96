//! Mini-bucket bounds for the constraint search (`constraint.rs`).
//!
//! A weighted sum d·u = Σ_p d_p·u_p of the parties' utilities is a sum of small functions
//! (one per rectangle, over the issues it bounds). Bucket elimination would maximise it
//! exactly, issue by issue from the last in the search order to the first, but the ANAC 2014
//! constraint graphs have tree-width 16–19, too wide for its tables. Mini-bucket elimination
//! (Dechter & Rish) splits each bucket into mini-buckets whose joint table stays under a size
//! limit and maximises each over the issue separately: the result is an upper bound, and the
//! messages it leaves on earlier issues give, at every partial outcome of the search, an upper
//! bound on d·u over its completions (Kask & Dechter's static mini-bucket heuristic):
//!
//! H(depth) = Σ functions wholly assigned + Σ messages from unassigned issues to assigned ones.
//!
//! The search keeps H along its path, adding and subtracting the tables that an assignment
//! brings in and out (`add`, `sub`), so a node costs a few table look-ups per direction.

/// A function over some places of the search order, as a dense table over their value
/// classes (the first place varies slowest).
pub(crate) struct Table {
    /// Places in the search order, ascending.
    pub scope: Vec<usize>,
    strides: Vec<usize>,
    pub values: Vec<f64>,
}

impl Table {
    pub fn new(scope: Vec<usize>, sizes: &[usize], values: Vec<f64>) -> Table {
        let strides = strides(&scope, sizes);
        Table {
            scope,
            strides,
            values,
        }
    }

    /// The value at the class indices `cls` (indexed by place).
    #[inline]
    pub fn at(&self, cls: &[u16]) -> f64 {
        let mut k = 0;
        for (&place, &stride) in self.scope.iter().zip(&self.strides) {
            k += usize::from(cls[place]) * stride;
        }
        self.values[k]
    }
}

fn strides(scope: &[usize], sizes: &[usize]) -> Vec<usize> {
    let mut strides = vec![0; scope.len()];
    let mut s = 1;
    for j in (0..scope.len()).rev() {
        strides[j] = s;
        s *= sizes[scope[j]];
    }
    strides
}

/// The entries of a table over `scope`.
pub(crate) fn table_size(scope: &[usize], sizes: &[usize]) -> usize {
    scope
        .iter()
        .try_fold(1usize, |acc, &p| acc.checked_mul(sizes[p]))
        .unwrap_or(usize::MAX)
}

/// The static mini-bucket bound of one direction d.
pub(crate) struct Heuristic {
    /// Weight of each party's utility.
    pub direction: Vec<f64>,
    /// H at the root (nothing assigned).
    pub root: f64,
    tables: Vec<Table>,
    /// Per place: tables that start to count once it is assigned.
    add: Vec<Vec<usize>>,
    /// Per place: tables that stop counting once it is assigned.
    sub: Vec<Vec<usize>>,
}

impl Heuristic {
    /// Bucket elimination with mini-buckets of at most `cap` table entries over `functions`
    /// (tables of d_p-weighted rectangle values; a function with an empty scope is a
    /// constant). `sizes[place]` is the number of value classes there (none empty).
    pub fn new(direction: Vec<f64>, functions: Vec<Table>, sizes: &[usize], cap: usize) -> Self {
        let n = sizes.len();
        let mut h = Heuristic {
            direction,
            root: 0.0,
            tables: Vec::new(),
            add: vec![Vec::new(); n],
            sub: vec![Vec::new(); n],
        };
        // Functions with the same scope are one.
        let mut merged: Vec<Table> = Vec::new();
        for f in functions {
            match merged.iter_mut().find(|g| g.scope == f.scope) {
                Some(g) => {
                    for (x, y) in g.values.iter_mut().zip(&f.values) {
                        *x += y;
                    }
                }
                None => merged.push(f),
            }
        }
        let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); n];
        for f in merged {
            match f.scope.last() {
                None => h.root += f.values[0],
                Some(&last) => {
                    h.add[last].push(h.tables.len());
                    buckets[last].push(h.tables.len());
                    h.tables.push(f);
                }
            }
        }
        for k in (0..n).rev() {
            let mut members = std::mem::take(&mut buckets[k]);
            members.sort_by_key(|&t| std::cmp::Reverse(h.tables[t].scope.len()));
            // First fit: a mini-bucket takes a function while their joint table fits.
            let mut minis: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
            for t in members {
                let scope = &h.tables[t].scope;
                let fits = minis.iter_mut().find(|(s, _)| {
                    let u = union(s, scope);
                    table_size(&u, sizes) <= cap
                });
                match fits {
                    Some((s, fs)) => {
                        *s = union(s, scope);
                        fs.push(t);
                    }
                    None => minis.push((scope.clone(), vec![t])),
                }
            }
            // Moment matching (Flerova, Ihler, Dechter & Otten 2011): shift each
            // mini-bucket's function by the mean of the mini-buckets' max-marginals on the
            // issue less its own. The shifts add up to nothing, so the sum is the same
            // function; maximising the parts separately then loses less.
            let joints: Vec<(Vec<usize>, Vec<f64>)> = minis
                .into_iter()
                .map(|(scope, fs)| {
                    let joint = joint(&h.tables, &scope, &fs, sizes);
                    (scope, joint)
                })
                .collect();
            let kk = sizes[k];
            let marginals: Vec<Vec<f64>> = joints
                .iter()
                .map(|(_, joint)| {
                    let mut m = vec![f64::NEG_INFINITY; kk];
                    for (x, &v) in joint.iter().enumerate() {
                        let c = x % kk;
                        m[c] = m[c].max(v);
                    }
                    m
                })
                .collect();
            let parts = marginals.len() as f64;
            let mean: Vec<f64> = (0..kk)
                .map(|c| marginals.iter().map(|m| m[c]).sum::<f64>() / parts)
                .collect();
            for ((scope, joint), m) in joints.into_iter().zip(&marginals) {
                let rest = scope[..scope.len() - 1].to_vec();
                let values: Vec<f64> = joint
                    .chunks(kk)
                    .map(|row| {
                        row.iter()
                            .enumerate()
                            .map(|(c, &v)| if parts > 1.0 { v + mean[c] - m[c] } else { v })
                            .fold(f64::NEG_INFINITY, f64::max)
                    })
                    .collect();
                let message = Table::new(rest, sizes, values);
                let id = h.tables.len();
                h.sub[k].push(id);
                match message.scope.last() {
                    None => h.root += message.values[0],
                    Some(&dest) => {
                        h.add[dest].push(id);
                        buckets[dest].push(id);
                    }
                }
                h.tables.push(message);
            }
        }
        h
    }

    /// H after assigning the place `k` (given `cls`), from H before it.
    #[inline]
    pub fn step(&self, before: f64, k: usize, cls: &[u16]) -> f64 {
        let mut h = before;
        for &t in &self.add[k] {
            h += self.tables[t].at(cls);
        }
        for &t in &self.sub[k] {
            h -= self.tables[t].at(cls);
        }
        h
    }
}

fn union(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut u: Vec<usize> = a.iter().chain(b).copied().collect();
    u.sort_unstable();
    u.dedup();
    u
}

/// The sum of `fs` as a table over `scope` (the last place, the bucket's, varies fastest).
fn joint(tables: &[Table], scope: &[usize], fs: &[usize], sizes: &[usize]) -> Vec<f64> {
    let size = table_size(scope, sizes);
    let mut cls = vec![0u16; sizes.len()];
    (0..size)
        .map(|x| {
            let mut r = x;
            for &p in scope.iter().rev() {
                cls[p] = (r % sizes[p]) as u16;
                r /= sizes[p];
            }
            fs.iter().map(|&f| tables[f].at(&cls)).sum()
        })
        .collect()
}
