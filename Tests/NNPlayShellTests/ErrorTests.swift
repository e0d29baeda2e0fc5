import Foundation
import NNPlayEngine
import Testing
@testable import NNPlayShell

/// Every bad line prints one clear error and changes nothing.
@Suite struct ErrorTests {
    static let badLines: [(String, String)] = [
        ("trian 5", "unknown command 'trian'; did you mean 'train'? (`help` lists the commands)"),
        ("xyzzy", "unknown command 'xyzzy' (`help` lists the commands)"),
        ("data circel", "unknown dataset 'circel'; did you mean 'circle'?"),
        ("data circle nosie=0.1", "unknown option 'nosie' for data circle; did you mean 'noise'? (options: n= noise= test= classes= seed=)"),
        ("data circle noise=2", "noise=2 is out of range: noise is 0…1"),
        ("data circle noise=abc", "noise=abc is not a number (numbers look like 0.03, 3e-2, 1_000)"),
        ("data circle n=0", "n=0 is out of range: n is 2…1000000"),
        ("data circle n=2000000", "n=2000000 is out of range: n is 2…1000000"),
        ("data circle n=10.5", "n=10.5 is not a whole number"),
        ("data xor classes=3", "xor has 2 classes: classes=3 applies to circle, gauss, spiral"),
        ("data spiral classes=17", "classes=17 is out of range: classes is 2…16"),
        ("data circle test=1.5", "test=1.5 is out of range: test is 0…1"),
        ("data circle n=5 n=6", "n= is given twice"),
        ("data circle extra", "unexpected 'extra': usage: data NAME"),
        ("data load", "missing argument: usage: data load PATH"),
        ("data load /no/such/file.csv", "cannot read /no/such/file.csv: no such file or directory"),
        ("data save /no/such/dir/x.csv", "cannot write /no/such/dir/x.csv: the directory /no/such/dir does not exist"),
        ("data load /tmp", "cannot read /tmp: it is a directory"),
        ("data save /tmp/x.csv n=4", "data save takes no options (n= is not one)"),
        ("add", "missing argument: usage: add N [ACT] [at=K]"),
        ("add 0", "N=0 is out of range: N is 1…1024"),
        ("add 5000", "N=5000 is out of range: N is 1…1024"),
        ("add 4 relux", "unknown activation 'relux'; did you mean 'relu'?"),
        ("add 4 tanh at=9", "at=9 is out of range: at is 1…3"),
        ("add four", "N=four is not a number: N is a whole number 1…1024"),
        ("remove 3", "layer 3 does not exist: layers are 1…2 (`net` shows them)"),
        ("remove out", "this takes a hidden layer (1…2), not the output layer"),
        ("remove 0", "this takes a hidden layer (1…2), not the inputs"),
        ("remove x", "'x' is not a layer: layers are 1…2"),
        ("resize 1", "missing argument: usage: resize K N"),
        ("resize 1 0", "N=0 is out of range: N is 1…1024"),
        ("act 5 relu", "layer 5 does not exist"),
        ("act out relu", "unknown output activation 'relu' (output activations: sigmoid softmax tanh linear)"),
        ("act softmax", "unknown activation 'softmax'"),
        ("act", "missing argument: usage: act [K|all|out] NAME"),
        ("features", "missing argument: usage: features LIST"),
        ("features x z", "unknown feature 'z'"),
        ("features x x", "feature x is listed twice"),
        ("reg l3", "unknown regularization 'l3'; did you mean 'l1'?"),
        ("reg l2 -1", "rate=-1 is out of range: rate is a number ≥ 0"),
        ("reg none 0.1", "reg none takes no rate"),
        ("init glorot", "unknown initializer 'glorot'"),
        ("init he seed=-1", "seed=-1 is out of range: seed is 0…9007199254740991"),
        ("reset now", "unexpected 'now': usage: reset"),
        ("set lr 0", "lr=0 is out of range: lr is a number > 0 (at most 1e6)"),
        ("set lr fast", "lr=fast is not a number"),
        ("set batch 0", "batch=0 is out of range: batch is 1…100000"),
        ("set momentum 1", "momentum=1 is out of range: momentum is in [0, 1)"),
        ("set optimiser adam", "unknown setting 'optimiser'; did you mean 'optimizer'?"),
        ("set optimizer adamw", "unknown optimizer 'adamw'; did you mean 'adam'?"),
        ("set loss foo", "unknown loss 'foo'"),
        ("set lr", "missing argument: usage: set KEY VALUE"),
        ("set seed 1.5", "seed=1.5 is not a whole number"),
        ("train -1", "N=-1 is out of range: N is 1…10000000"),
        ("train 0", "N=0 is out of range: N is 1…10000000"),
        ("train 20000000", "N=20000000 is out of range: N is 1…10000000"),
        ("train 5 epochz", "unexpected 'epochz'; did you mean 'epochs'?"),
        ("train 1 2 3", "unexpected '2': usage: train [N] [epochs|steps] [live [slow] [fps=F] [every=K]]"),
        ("train 1 2 3 4 5", "unexpected '5': usage: train [N] [epochs|steps] [live [slow] [fps=F] [every=K]]"),
        ("step 2", "unexpected '2': usage: step"),
        ("stats now", "unexpected 'now': usage: stats"),
        ("confusion both", "unexpected 'both': usage: confusion [test|train]"),
        ("expect", "usage: expect METRIC OP VALUE"),
        ("expect epoch > x", "VALUE=x is not a number"),
        ("eval 1", "missing argument: usage: eval X Y"),
        ("eval 1 y", "Y=y is not a number"),
        ("weights 7", "layer 7 does not exist"),
        ("gradcheck points=0", "points=0 is out of range: points is 1…256"),
        ("save", "missing argument: usage: save model|session|data PATH"),
        ("save weights /tmp/x", "cannot save 'weights'"),
        ("load model /no/such.json", "cannot read /no/such.json: no such file or directory"),
        ("load pictures x", "cannot load 'pictures'"),
        ("source /no/such.nn", "cannot read /no/such.nn: no such file or directory"),
        ("new seed=x", "seed=x is not a number"),
        ("help xyzzy", "unknown command 'xyzzy' (`help` lists the commands)"),
        ("history 3", "unexpected '3': usage: history"),
        ("quit now", "unexpected 'now': usage: quit"),
        ("data load \"unclosed", "a \" quote is not closed"),
        ("set lr=", "lr= needs a value, e.g. lr=1"),
        // found by checking every SPEC command as a user would
        ("train 0 steps", "N=0 is out of range: N is 1…1000000000"),
        ("train 5 epochs steps", "both epochs and steps: usage: train [N] [epochs|steps] [live [slow] [fps=F] [every=K]]"),
        ("act 1", "missing the activation's NAME after '1': usage: act [K|all|out] NAME"),
        ("expect test-accuracy > 0.5 extra", "unexpected 'extra': usage: expect METRIC OP VALUE"),
        ("set loss xent", "unknown loss 'xent' (losses: bce ce mse)"),
        ("export out /tmp/nnplay-never.ppm extra", "unexpected 'extra': usage: export out FILE [size=256]"),
        ("plot layer 1 size=20x4", "tiles are square: give one side, size=20: usage: plot layer K [size=W]"),
        ("reg l2 1e7", "rate=1e7 is out of range: rate is a number ≥ 0 (at most 1e6)"),
        ("set lr 1e400", "lr=1e400 is out of range: lr is a number > 0 (at most 1e6)"),
        ("eval 1e400 0", "X=1e400 is too large: numbers are at most about 1.8e308"),
    ]

    @Test(arguments: badLines)
    func aBadLineGivesOneClearErrorAndChangesNothing(line: String, message: String) throws {
        let (s, out) = makeSession()
        try s.run("data spiral n=100; train 2")
        let before = s.snapshot
        out.clear()
        let error = s.error(line)
        #expect(error?.contains(message) == true, "\(line): got \(error ?? "no error")")
        #expect(error?.contains("\n") == false)
        let unchanged = s.snapshot == before
        #expect(unchanged, "\(line) changed the state")
    }

    @Test func aLineIsReadWholeThenStopsAtAFailingCommandKeepingWhatRanBeforeIt() throws {
        let (s, out) = makeSession()
        let before = s.snapshot
        // an unknown name is found before anything runs
        #expect(s.error("train 2; add 3; bogus") == "unknown command 'bogus' (`help` lists the commands)")
        #expect(out.standard.isEmpty)
        let unchanged = s.snapshot == before
        #expect(unchanged)
        // a command that fails while running stops the line; the work before it is kept, and said
        #expect(s.error("train 2; add 3; data bogus")?.hasSuffix("(the 2 commands before it ran and are kept: train 2; add 3)") == true)
        #expect(s.playground.network.hiddenCount == 3)
        // issue 10: a failed check does not undo the training before it
        try s.run("reset")
        #expect(s.error("train 3; expect test-accuracy > 0.999")?.hasSuffix("(the command before it ran and is kept: train 3)") == true)
        #expect(s.playground.progress.epoch == 3)
        // nothing is undone that cannot be: a file written before the failure stays, and the message says so
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let message = s.error("save model \(dir)/m.json; plot layer 9")
        #expect(message?.hasSuffix("(the command before it ran and is kept: save model \(dir)/m.json)") == true, "\(message ?? "")")
        #expect(FileManager.default.fileExists(atPath: "\(dir)/m.json"))
    }

    @Test func badModelAndDataFilesAreErrorsAndTheModelStays() throws {
        let (s, _) = makeSession()
        let dir = try makeTemporaryDirectory()
        try s.run("train 3")
        let before = s.snapshot
        try FileAccess.writeAtomically("{\"format\": \"other\"}", to: "\(dir)/foreign.json")
        try FileAccess.writeAtomically("1,2,0\n3,x,1\n", to: "\(dir)/bad.csv")
        try FileAccess.writeAtomically([0xFF, 0xFE, 0x00, 0x01], to: "\(dir)/binary.json")
        #expect(s.error("load model \(dir)/foreign.json") == "\(dir)/foreign.json: not an nnplay model: \"format\" must be \"nnplay-model\"")
        #expect(s.error("load model \(dir)/binary.json") == "\(dir)/binary.json: not an nnplay model (the file is not UTF-8 text)")
        #expect(s.error("data load \(dir)/bad.csv") == "\(dir)/bad.csv: line 2: y is not a number (\"x\"); each line is x,y,label")
        let unchanged = s.snapshot == before
        #expect(unchanged)
    }
}
