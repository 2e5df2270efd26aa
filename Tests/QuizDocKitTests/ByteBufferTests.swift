import Testing
@testable import QuizDocKit

/// `ByteBuffer` holds what an array given the same appends and removals would, through its
/// room's growth, after being emptied, and once taken.
@Suite struct ByteBufferTests {
    @Test func holdsWhatAnArrayWould() {
        var generator = SystemRandomNumberGenerator()
        var buffer = ByteBuffer(capacity: 1)
        var model: [UInt8] = []
        for step in 0..<5_000 {
            switch UInt8.random(in: 0...9, using: &generator) {
            case 0...3:
                let byte = UInt8.random(in: 0...255, using: &generator)
                buffer.append(byte)
                model.append(byte)
            case 4...6:
                let run = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                run.withUnsafeBufferPointer { buffer.append($0) }
                model += run
            case 7:
                let text = ["", "é", "añó", "plain words", "— «x»"].randomElement(using: &generator)!
                buffer.append(text)
                model += Array(text.utf8)
            case 8 where !model.isEmpty:
                buffer.removeLast()
                model.removeLast()
            default:
                if step % 50 == 0 {
                    buffer.removeAll()
                    model.removeAll()
                }
            }
            #expect(buffer.count == model.count)
            #expect(buffer.last == model.last)
            #expect(buffer.withUnsafeBufferPointer { Array($0) } == model, "step \(step)")
        }
        #expect(buffer.take() == model)
        #expect(buffer.isEmpty)
        buffer.append(7)
        #expect(buffer.take() == [7])
    }
}
