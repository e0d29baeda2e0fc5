import NNPlayEngine

/// The shared last step of every architecture change (add, remove, resize, act, features): build the
/// new network, draw its weights, start training afresh (as TensorFlow Playground does), and say so.
enum NetworkEditing {
    typealias Hidden = [(size: Int, activation: Activation)]

    static func hidden(of net: Network) -> Hidden {
        zip(net.hiddenSizes, net.hiddenActivations).map { (size: $0, activation: $1) }
    }

    /// `dropout`: the new hidden layers' dropout rates when layers come or go (by default they stay
    /// with their layers, which keep their numbers).
    static func apply(_ session: Session, features: [Feature]? = nil, hidden: Hidden? = nil,
                      output: OutputActivation? = nil, dropout: [Double]? = nil) throws {
        let net = try session.playground.network.reshaped(features: features, hidden: hidden, output: output, dropout: dropout)
        var notes: [String] = []
        try session.update { notes = try $0.replaceNetwork(net, initialize: true) }
        session.say("network: \(session.playground.network.architecture) (\(session.playground.network.parameterCount) parameters, weights drawn anew)")
        for note in notes { session.say(note) }
    }
}
