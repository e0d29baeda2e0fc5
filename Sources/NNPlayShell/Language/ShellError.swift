import NNPlayEngine

/// A command failed: one line saying what was wrong and what is accepted.
public typealias ShellError = NNPlayError
