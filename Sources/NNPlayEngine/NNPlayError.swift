/// An error a user can act on: one line saying what was wrong and what is accepted.
public struct NNPlayError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
