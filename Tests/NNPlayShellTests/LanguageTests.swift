import NNPlayEngine
import Testing
@testable import NNPlayShell

@Suite struct TokenizerTests {
    @Test func semicolonsSplitCommandsAndHashStartsAComment() throws {
        let commands = try Tokenizer.commands(in: "data circle n=100;  train 5 # a comment; not a command")
        #expect(commands.map(\.words) == [["data", "circle", "n=100"], ["train", "5"]])
        #expect(try Tokenizer.commands(in: "   # only a comment").isEmpty)
        #expect(try Tokenizer.commands(in: " ; ;; ").isEmpty)
    }

    @Test func quotesKeepPathsWithSpacesAndSpecialCharactersTogether() throws {
        let commands = try Tokenizer.commands(in: #"data load "my data;v2.csv" test=0.2; save model 'a # b.json'"#)
        #expect(commands.map(\.words) == [["data", "load", "my data;v2.csv", "test=0.2"], ["save", "model", "a # b.json"]])
        #expect(throws: NNPlayError.self) { try Tokenizer.commands(in: #"data load "open"#) }
        #expect(Tokenizer.quoted("a b") == "\"a b\"" && Tokenizer.quoted("plain") == "plain")
    }
}

@Suite struct ValuesTests {
    @Test func numbersAcceptDecimalsExponentsAndUnderscores() {
        #expect(Values.parseNumber("0.03") == 0.03)
        #expect(Values.parseNumber("3e-2") == 0.03)
        #expect(Values.parseNumber("1_000") == 1000)
        #expect(Values.parseNumber("-2.5E+1") == -25)
        #expect(Values.parseNumber(".5") == 0.5)
        #expect(Values.parseNumber("5.") == 5)
        for bad in ["", "nan", "inf", "-infinity", "0x10", "1e", "1__0", "_1", "1_", "1.2.3", "e5", "1e5.5", "abc", "1e400", "+", "."] {
            #expect(Values.parseNumber(bad) == nil, "\(bad) should not be a number")
        }
    }

    @Test func wholeNumbersAndRangesSayWhatIsAccepted() {
        #expect(throws: NNPlayError("n=2.5 is not a whole number: n is 1…10")) { try Values.integer("2.5", "n", in: 1...10) }
        #expect(throws: NNPlayError("n=11 is out of range: n is 1…10")) { try Values.integer("11", "n", in: 1...10) }
        #expect(throws: NNPlayError("n=x is not a number: n is a whole number 1…10")) { try Values.integer("x", "n", in: 1...10) }
        #expect((try? Values.integer("1e3", "n", in: 1...5000)) == 1000)
    }

    @Test func misspeltNamesGetTheClosestSuggestion() {
        #expect(Suggestions.closest(to: "trian", in: CommandTable.allNames) == "train")
        #expect(Suggestions.closest(to: "gradchek", in: CommandTable.allNames) == "gradcheck")
        #expect(Suggestions.closest(to: "nosie", in: ["n", "noise", "test"]) == "noise")
        #expect(Suggestions.closest(to: "optimiser", in: SetCommand.keys) == "optimizer")
        #expect(Suggestions.closest(to: "xyzzy", in: CommandTable.allNames) == nil)
    }
}
