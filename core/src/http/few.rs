//! A map of a few entries, kept as a list: the process-wide state (the
//! pool's agents, the resolver's names and lookups), each bounded to a few
//! dozen entries. (checkout.com's shared tokens are a list already, kept
//! least recently asked for first.)
//!
//! A list because that state lives until the process ends, and a C
//! program's `valgrind --leak-check=full` sees it then: a list holds each
//! entry by its start, which memcheck counts "still reachable", where a
//! `HashMap` holds them through a pointer into its table, which memcheck
//! reports as "possibly lost" (an error by default) with all they hold.
//! At these sizes a search is as fast as a hash.

use std::borrow::Borrow;

#[derive(Debug)]
pub(crate) struct Few<K, V>(Vec<(K, V)>);

impl<K, V> Default for Few<K, V> {
    fn default() -> Self {
        Few::new()
    }
}

impl<K, V> Few<K, V> {
    pub(crate) const fn new() -> Self {
        Few(Vec::new())
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    fn position<Q>(&self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.0.iter().position(|(k, _)| k.borrow() == key)
    }

    pub(crate) fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.position(key).map(|at| &self.0[at].1)
    }

    pub(crate) fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.position(key).map(|at| &mut self.0[at].1)
    }

    /// Sets `key`'s value, in place of the one it had.
    pub(crate) fn insert(&mut self, key: K, value: V)
    where
        K: PartialEq,
    {
        match self.position(&key) {
            Some(at) => self.0[at].1 = value,
            None => self.0.push((key, value)),
        }
    }

    pub(crate) fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.position(key).map(|at| self.0.swap_remove(at).1)
    }

    /// Removes the entry whose value is least by `by` (the oldest, say).
    pub(crate) fn remove_least<T: Ord>(&mut self, by: impl Fn(&V) -> T) {
        if let Some(at) = (0..self.0.len()).min_by_key(|&at| by(&self.0[at].1)) {
            self.0.swap_remove(at);
        }
    }

    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&K, &V) -> bool) {
        self.0.retain(|(k, v)| keep(k, v));
    }

    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }

    #[cfg(test)]
    pub(crate) fn keys(&self) -> impl Iterator<Item = &K> {
        self.0.iter().map(|(k, _)| k)
    }
}

#[cfg(test)]
mod tests {
    use super::Few;

    #[test]
    fn a_few_entries_are_a_map() {
        let mut few = Few::new();
        few.insert("a".to_string(), 1);
        few.insert("b".to_string(), 2);
        few.insert("a".to_string(), 3);
        assert_eq!((few.len(), few.get("a"), few.get("c")), (2, Some(&3), None));
        *few.get_mut("b").unwrap() += 10;
        few.remove_least(|v| *v);
        assert_eq!(few.keys().collect::<Vec<_>>(), ["b"]);
        assert_eq!(few.remove("b"), Some(12));
        few.insert("c".to_string(), 4);
        few.retain(|_, v| *v > 4);
        assert_eq!(few.len(), 0);
    }
}
