import Foundation
import QuizDocCommandLine
import Testing

/// What the programs print besides diagnostics.
@Suite struct CommandLineTests {
    /// The seconds a build reports: two decimals, the nearest hundredth (a tie either way).
    @Test func secondsAreWrittenToTheNearestHundredth() {
        var generator = SystemRandomNumberGenerator()
        let chosen: [Double] = [0, 0.004, 0.005, 0.0051, 0.015, 0.125, 0.375, 0.995, 0.999, 1, 1.005, 2.675, 9.995, 59.999, 123.456]
        let random = (0..<20_000).map { _ in Double.random(in: 0..<100, using: &generator) }
        #expect(secondsText(0) == "0.00")
        #expect(secondsText(0.04) == "0.04")
        #expect(secondsText(1.2) == "1.20")
        #expect(secondsText(59.999) == "60.00")
        #expect(secondsText(123.456) == "123.46")
        for seconds in chosen + random {
            let text = secondsText(seconds)
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            #expect(parts.count == 2 && parts[1].count == 2 && parts.allSatisfy { $0.allSatisfy(\.isNumber) }, "\(text)")
            #expect(abs(Double(text)! - seconds) <= 0.005 + 1e-9, "\(seconds) → \(text)")
            // Off printf's only at a tie, by one hundredth.
            #expect(abs(Double(text)! - Double(String(format: "%.2f", seconds))!) < 0.0101, "\(seconds) → \(text)")
        }
    }
}
