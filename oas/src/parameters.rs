//! Which parameters an operation takes.

/// An operation's parameters: its path item's, then its own, where one of its own replaces a
/// path item's parameter of the same name and location (OAS 3.0.3, "Path Item Object",
/// `parameters`). `key` gives a parameter's name and location; order is otherwise kept.
///
/// The generator reads typed parameters and the oracle raw JSON, so this takes any `T`.
pub fn effective<T, K: PartialEq>(
    path_item: impl IntoIterator<Item = T>,
    operation: impl IntoIterator<Item = T>,
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for p in path_item.into_iter().chain(operation) {
        let k = key(&p);
        out.retain(|q| key(q) != k);
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::effective;

    #[test]
    fn an_operation_parameter_replaces_the_path_items_of_the_same_name_and_location() {
        let item = [("id", "path", 1), ("limit", "query", 2), ("id", "header", 3)];
        let op = [("limit", "query", 4), ("marker", "query", 5)];
        let got: Vec<i32> = effective(item, op, |p| (p.0, p.1)).iter().map(|p| p.2).collect();
        assert_eq!(got, [1, 3, 4, 5]);
    }
}
