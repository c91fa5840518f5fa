//! What a generated setter takes: a value, `Some(value)` or `None`.

/// An argument to a generated setter: `.name("x")`, `.name(Some(x))` or `.name(None)`. For
/// a nullable field `None` sends `null`; for any other optional field it leaves the field
/// out. So no setter is ever called with `Some(Some(..))`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Maybe<T>(Option<T>);

impl<T> Maybe<T> {
    /// The value, if one was given.
    pub fn into_option(self) -> Option<T> {
        self.0
    }
}

impl<T> From<T> for Maybe<T> {
    fn from(value: T) -> Self {
        Maybe(Some(value))
    }
}

impl<T> From<Option<T>> for Maybe<T> {
    fn from(value: Option<T>) -> Self {
        Maybe(value)
    }
}

impl From<&str> for Maybe<String> {
    fn from(value: &str) -> Self {
        Maybe(Some(value.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::Maybe;

    fn set(value: impl Into<Maybe<String>>) -> Option<String> {
        value.into().into_option()
    }

    #[test]
    fn a_setter_takes_the_value_an_option_of_it_or_none() {
        assert_eq!(set("x"), Some("x".to_string()));
        assert_eq!(set(String::from("y")), Some("y".to_string()));
        assert_eq!(set(Some("z".to_string())), Some("z".to_string()));
        assert_eq!(set(None), None);
        let n: Maybe<i64> = 3.into();
        assert_eq!(n.into_option(), Some(3));
    }
}
