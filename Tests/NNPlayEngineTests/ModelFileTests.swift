import Foundation
import Testing
@testable import NNPlayEngine

@Suite struct ModelFileTests {
    @Test func aSavedModelReloadsBitIdentically() throws {
        let p = try trainedSpiralPlayground(points: 200, epochs: 15)
        let text = ModelFile(network: p.network, settings: p.settings, classNames: ["a", "b", "c"]).encoded()
        let back = try ModelFile.decode(text)
        #expect(back.network == p.network)
        #expect(back.network.parameters.map(\.bitPattern) == p.network.parameters.map(\.bitPattern))
        #expect(back.settings == p.settings)
        #expect(back.classNames == ["a", "b", "c"])
        for x in stride(from: -6.0, through: 6, by: 0.7) {
            for y in stride(from: -6.0, through: 6, by: 0.7) {
                #expect(back.network.predict(x: x, y: y).map(\.bitPattern) == p.network.predict(x: x, y: y).map(\.bitPattern))
            }
        }
        #expect(ModelFile(network: back.network, settings: back.settings, classNames: back.classNames).encoded() == text)
    }

    @Test func theFileHasTheKeysOfSPEC() throws {
        let p = Playground.makeDefault()
        let json = try JSON.parse(ModelFile(network: p.network, settings: p.settings).encoded())
        #expect(json["format"] == .string("nnplay-model"))
        #expect(json["version"] == .number(1))
        #expect(json["features"] == .array([.string("x"), .string("y")]))
        #expect(json["classes"] == .number(2))
        guard case .array(let layers)? = json["layers"] else { Issue.record("no layers"); return }
        #expect(layers.count == 3)
        #expect(layers[0]["size"] == .number(4) && layers[0]["activation"] == .string("tanh"))
        guard case .array(let rows)? = layers[0]["weights"], case .array(let row)? = rows.first else { Issue.record("no weights"); return }
        #expect(rows.count == 4 && row.count == 2)
        #expect(row[1] == .number(p.network.parameters[1]))   // weights[j][i]: from input i to neuron j
        #expect(layers[2]["activation"] == .string("sigmoid"))
        let settings = try #require(json["settings"])
        #expect(settings["lr"] == .number(0.03) && settings["batch"] == .number(10))
        #expect(settings["optimizer"] == .string("sgd") && settings["loss"] == .string("bce"))
        #expect(settings["reg"] == .string("none") && settings["regRate"] == .number(0))
    }

    /// The untrained default model (biases 0), for mutating into bad files (also ReaderFuzzTests').
    static let good = ModelFile(network: Playground.makeDefault().network, settings: TrainingSettings()).encoded()

    static let badFiles: [(String, String)] = [
        ("", "not valid JSON: line 1, column 1: the file is empty"),
        ("{\"format\": \"nnplay-model\", ", "not valid JSON"),
        ("[1, 2]", "not an nnplay model"),
        ("{\"name\": \"something else\"}", "not an nnplay model: \"format\" must be \"nnplay-model\""),
        (good.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2"), "model version 2 is not supported"),
        (good.replacingOccurrences(of: "\"activation\": \"tanh\"", with: "\"activation\": \"tanhh\""), "layer 1: activation \"tanhh\" is not one of"),
        (good.replacingOccurrences(of: "\"size\": 4", with: "\"size\": 5"), "layer 1: \"weights\" has 4 rows but \"size\" is 5"),
        (good.replacingOccurrences(of: "\"features\": [\"x\", \"y\"]", with: "\"features\": [\"x\", \"q\"]"), "\"features\" has \"q\""),
        (good.replacingOccurrences(of: "\"features\": [\"x\", \"y\"]", with: "\"features\": [\"x\"]"), "layer 1: weights row 1 has 2 values but the layer has 1 inputs"),
        (good.replacingOccurrences(of: "\"classes\": 2", with: "\"classes\": 3"), "layer 3 (output): size 1 does not fit 3 classes"),
        (good.replacingOccurrences(of: "\"lr\": 0.03", with: "\"lr\": -1"), "settings: lr=-1 is out of range"),
        (good.replacingOccurrences(of: "\"batch\": 10", with: "\"batch\": 2.5"), "settings: \"batch\" is 2.5: it must be a whole number"),
        (good.replacingOccurrences(of: "\"activation\": \"sigmoid\"", with: "\"activation\": \"tanh\""), "\"settings\": loss bce needs a sigmoid output"),
        (good.replacingOccurrences(of: "\"biases\": [0, 0, 0, 0]", with: "\"biases\": [0, 0, 0]"), "layer 1: \"biases\" has 3 values but \"size\" is 4"),
        (good.replacingOccurrences(of: "\"biases\": [0, 0, 0, 0]", with: "\"biases\": [0, 0, 0, 1e999]"), "the number 1e999 is out of range"),
        (good.replacingOccurrences(of: "\"biases\": [0, 0, 0, 0]", with: "\"biases\": [0, 0, 0, \"0\"]"), "layer 1: \"biases\" holds \"0\", not a number"),
        (String(repeating: "[", count: 100_000), "nesting deeper than 64 levels"),
        (String(good.dropLast(20)), "not valid JSON"),
    ]

    @Test(arguments: badFiles)
    func corruptOrForeignFilesAreRejectedWithTheirProblem(text: String, message: String) {
        do {
            _ = try ModelFile.decode(text)
            Issue.record("accepted a bad model file (\(message))")
        } catch let e as NNPlayError {
            #expect(e.message.contains(message), "expected \(message.debugDescription), got \(e.message.debugDescription)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func jsonReaderHandlesEscapesAndNumbers() throws {
        let v = try JSON.parse(#"{"a": "x\"y\\z\u00e9\ud83d\ude00\n", "b": [-0.0, 1e-5, 12, 2.5E+3, true, null]}"#)
        #expect(v["a"] == .string("x\"y\\zé😀\n"))
        #expect(v["b"] == .array([.number(-0.0), .number(1e-5), .number(12), .number(2500), .bool(true), .null]))
        for bad in ["01", "1.", "-", "\"\\x\"", "tru", "{\"a\" 1}", "[1,]", "{\"a\":1,}", "1 2", "\"a\u{1}\""] {
            #expect(throws: NNPlayError.self, "\(bad)") { try JSON.parse(bad) }
        }
        #expect(JSON.number(-0.0).serialized() == "-0.0")
        #expect(try JSON.parse(JSON.number(-0.0).serialized()) == .number(-0.0))
    }
}
