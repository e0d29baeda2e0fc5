import NNPlayEngine

/// How fast `train N live` draws: `fps=F` caps frames a second, `every=K` draws one frame every K
/// epochs (K steps when training by steps), `slow` is a preset that makes a run of milliseconds watchable.
/// Without options, a quick run gets at least `defaultMinimumFrames` frames at most `defaultFPS` a second,
/// a long one about `longRunFPS` a second.
struct LivePace: Equatable {
    /// Frames a second at most (nil: the defaults).
    var fps: Int?
    /// A frame at every K-th epoch end (or step); nil: frames spread over the run.
    var every: Int?

    static let fpsRange = 1...60
    static let defaultFPS = 30, longRunFPS = 15, defaultMinimumFrames = 30
    /// `slow`: a frame every epoch at this rate, so `train 50 live slow` takes about 5 s …
    static let slowFPS = 10
    /// … and at most this many frames (a minute): a longer run draws every ⌈N/600⌉ epochs instead.
    static let slowMostFrames = 600
    /// A run paced to take at least this long says so first.
    static let noteSeconds = 30.0

    /// The options of `train N live`, for messages and completion.
    static let optionKeys = ["fps", "every"]

    /// Reads `fps=` `every=` and the word `slow`; `units` is the run's length in epochs or steps.
    static func parse(_ args: Arguments, slow: Bool, units: Int, maxUnits: Int) throws -> LivePace {
        try args.allowOptions(optionKeys, for: "train N live")
        var pace = LivePace()
        if let f = args.option("fps") { pace.fps = try Values.integer(f, "fps", in: fpsRange) }
        if let k = args.option("every") { pace.every = try Values.integer(k, "every", in: 1...maxUnits) }
        if slow {
            pace.fps = pace.fps ?? slowFPS
            pace.every = pace.every ?? slowEvery(units: units)
        }
        return pace
    }

    /// `slow`'s spacing: every epoch (or step) while that is at most `slowMostFrames` frames.
    static func slowEvery(units: Int) -> Int {
        Swift.max(1, (units + slowMostFrames - 1) / slowMostFrames)
    }

    /// Frames a run of `units` epochs (or steps) draws with `every`: one at each K-th and one at the end.
    static func frames(units: Int, every: Int) -> Int {
        guard units > 0, every > 0 else { return 0 }
        return (units + every - 1) / every
    }

    /// The least time the pacing alone makes a run of `units` take, in seconds (training time aside).
    func leastSeconds(units: Int) -> Double {
        if let every { return Double(Self.frames(units: units, every: every)) / Double(fps ?? Self.defaultFPS) }
        return Double(Self.defaultMinimumFrames) / Double(fps ?? Self.defaultFPS)
    }

    /// Seconds between frames at the minimum-frame marks, and between the frames in between them.
    var markInterval: Double { 1.0 / Double(fps ?? Self.defaultFPS) }
    var betweenInterval: Double { 1.0 / Double(fps ?? Self.longRunFPS) }
}
