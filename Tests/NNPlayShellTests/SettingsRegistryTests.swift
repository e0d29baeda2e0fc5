import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// One list of settings: `set`, `set` alone, `help set`, completion and the model file agree on every
/// key, alias, range and default, because they all read `SettingsRegistry`.
@Suite struct SettingsRegistryTests {
    @Test func everySettingIsListedHelpedAndCompleted() throws {
        let (s, _) = makeSession()
        let listing = try s.run("set").split(separator: "\n").map(String.init)
        let help = try s.run("help set")
        #expect(listing.count == SettingsRegistry.all.count + 2)   // and the schedule and the graphics, last
        #expect(listing.dropLast().last?.hasPrefix("schedule   constant") == true)
        #expect(listing.last?.hasPrefix("graphics   auto (ascii)") == true, "\(listing.last ?? "")")
        #expect(Completer(session: s).complete("set graphics ").candidates == GraphicsMode.allCases.map(\.rawValue).sorted())
        #expect(Completer(session: s).complete("set grap").candidates == ["graphics"])
        let defaults = TrainingSettings()
        for (setting, line) in zip(SettingsRegistry.all, listing) {
            #expect(line.hasPrefix(setting.key + " "), "\(line)")
            #expect(line.contains(" \(setting.describe(defaults)) "), "\(line)")
            #expect(help.contains("\(setting.key) ") && help.contains(setting.summary), "help set lacks \(setting.key)")
            #expect(help.contains("(default \(setting.defaultText))"))
            let offered = Completer(session: s).complete("set \(setting.key.prefix(setting.key.count - 1))").candidates
            #expect(offered.contains(setting.key), "Tab on set \(setting.key.dropLast()): \(offered)")
            if case .choice(let names, _) = setting.kind {
                #expect(Completer(session: s).complete("set \(setting.key) ").candidates == names.sorted())
            }
        }
    }

    @Test func keysAreUniqueAcrossAliasesAndJSON() {
        let names = SettingsRegistry.all.flatMap { [$0.key] + $0.aliases }
        #expect(Set(names).count == names.count)
        #expect(Set(SettingsRegistry.all.map(\.jsonKey)).count == SettingsRegistry.all.count)
        for setting in SettingsRegistry.all {
            for alias in setting.aliases { #expect(SettingsRegistry.setting(named: alias.uppercased())?.key == setting.key) }
        }
    }

    /// A value `set` refuses, a model file refuses with the same words, and the reverse.
    @Test func setAndTheModelFileAcceptTheSameRanges() throws {
        let good = ModelFile(network: Playground.makeDefault().network, settings: TrainingSettings()).encoded()
        let root = try JSON.parse(good)
        guard case .object(let fields) = root, case .object(let settingsFields)? = root["settings"] else {
            Issue.record("no settings object")
            return
        }
        func file(with key: String, _ value: JSON) -> String {
            let changed = JSON.object(settingsFields.map { $0.0 == key ? ($0.0, value) : $0 })
            return JSON.object(fields.map { $0.0 == "settings" ? ($0.0, changed) : $0 }).serialized()
        }
        var probes: [(Setting, [Double])] = []
        for setting in SettingsRegistry.all {
            switch setting.kind {
            case .number(let r):
                probes.append((setting, [r.lower, r.upper, r.lower - 1, r.upper * 2, r.lower + 1e-9, r.upper - 1e-9 * Swift.max(1, r.upper)]))
            case .integer(let r):
                probes.append((setting, [Double(r.lowerBound), Double(r.upperBound), Double(r.lowerBound) - 1, Double(r.upperBound) + 1e6]))
            case .choice:
                continue
            }
        }
        #expect(probes.count >= 8)
        for (setting, values) in probes {
            for x in values {
                let text = formatNumber(x)
                let (s, _) = makeSession()
                let setError = s.error("set \(setting.key) \(text)")
                let fileError: String?
                do { _ = try ModelFile.decode(file(with: setting.jsonKey, .number(x))); fileError = nil } catch let e as NNPlayError { fileError = e.message }
                #expect((setError == nil) == (fileError == nil), "\(setting.key) \(text): set says \(setError ?? "ok"), the file \(fileError ?? "ok")")
                if setError == nil {
                    #expect(SettingsRegistry.setting(named: setting.key)?.describe(s.playground.settings) == formatNumber(x) || setting.key == "seed")
                }
            }
        }
        for setting in SettingsRegistry.all {
            guard case .choice(let names, _) = setting.kind else { continue }
            for name in names {
                let (s, _) = makeSession()
                let error = s.error("set \(setting.key) \(name)")
                let fileError: String?
                do { _ = try ModelFile.decode(file(with: setting.jsonKey, .string(name))); fileError = nil } catch let e as NNPlayError { fileError = e.message }
                // a loss the output cannot take is refused by both, for that reason
                #expect((error == nil) == (fileError == nil), "\(setting.key) \(name): \(error ?? "ok") / \(fileError ?? "ok")")
            }
            #expect(s(error: "set \(setting.key) banana")?.contains("unknown") == true)
            #expect((try? ModelFile.decode(file(with: setting.jsonKey, .string("banana")))) == nil)
        }
    }

    private func s(error line: String) -> String? { makeSession().0.error(line) }

    @Test func everySettingRoundTripsThroughTheModelFile() throws {
        var settings = TrainingSettings()
        settings.learningRate = 0.125
        settings.batchSize = 17
        settings.optimizer = .adam
        settings.momentum = 0.5
        settings.beta1 = 0.8
        settings.beta2 = 0.99
        settings.epsilon = 1e-7
        settings.loss = .mse
        settings.regularization = .l1
        settings.regularizationRate = 0.003
        settings.initializer = .he
        settings.seed = 12345
        settings.validationFraction = 0.15
        settings.decay = 0.75
        settings.schedule = .cosine(period: 40, min: 0.001)
        let text = ModelFile(network: Playground.makeDefault().network, settings: settings).encoded()
        let back = try #require(try ModelFile.decode(text).settings)
        #expect(back == settings)
        // every setting differs from its default here, so a key the file forgot would show
        for setting in SettingsRegistry.all {
            #expect(setting.describe(settings) != setting.defaultText, "\(setting.key) is still its default")
            #expect(setting.describe(back) == setting.describe(settings))
        }
        #expect(back.schedule == settings.schedule)
    }

    @Test func theScheduleIsSetShownKeptAndReplayed() throws {
        let dir = try makeTemporaryDirectory()
        let (s, _) = makeSession()
        #expect(try s.run("set schedule step gamma=0.5 every=4") == "schedule=step gamma=0.5 every=4 (lr now 0.03)\n")
        try s.run("train 9")
        // 9 epochs done: ⌊9/4⌋ = 2 halvings
        #expect(try s.run("set").contains("schedule   step gamma=0.5 every=4  (the rate now in force: lr=0.0075)"))
        #expect(s.playground.learningRateInForce == 0.03 * 0.25)
        try s.run("save model \(dir)/m.json; save session \(dir)/s.nn")
        let (t, _) = makeSession()
        try t.run("load model \(dir)/m.json")
        #expect(t.playground.settings.schedule == .step(gamma: 0.5, every: 4))
        let script = try #require(String(validating: try FileAccess.read("\(dir)/s.nn", limit: 1 << 20), as: UTF8.self))
        let (replay, _) = makeSession()
        try replay.runScript(script, name: "s.nn")
        #expect(replay.playground == s.playground)
        // a schedule changes the weights a constant rate gives
        let (constant, _) = makeSession()
        try constant.run("train 9")
        #expect(constant.playground.network.parameters != s.playground.network.parameters)
        for (line, expected) in [("set schedule", "needs a schedule"), ("set schedule linear", "unknown schedule 'linear'"),
                                 ("set schedule step rate=2", "no parameter 'rate'"), ("set schedule exp gamma=2", "out of range")] {
            #expect(s.error(line)?.contains(expected) == true, "\(line): \(s.error(line) ?? "ok")")
        }
        #expect(Completer(session: s).complete("set schedule c").candidates == ["constant", "cosine"])
        #expect(Completer(session: s).complete("set schedule step ").candidates == ["every=", "gamma="])
        #expect(try s.run("help set").contains("rmsprop v = ρv + (1−ρ)g²"))
    }
}
