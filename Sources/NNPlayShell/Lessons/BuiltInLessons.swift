import NNPlayEngine

/// The lessons that come with nnplay: the files in Lessons/Texts, compiled into the program
/// (Package.swift embeds them), in order. SwiftPM names each after its file, its first
/// character made `_` (10-… is `_0_…`). A test checks that every file there is listed.
public enum BuiltInLessons {
    /// File names and texts, lesson 1 first.
    public static let files: [(name: String, bytes: [UInt8])] = [
        ("01-a-neuron-holds-a-number.nn", PackageResources._1_a_neuron_holds_a_number_nn),
        ("02-weights-and-biases.nn", PackageResources._2_weights_and_biases_nn),
        ("03-layers-compose.nn", PackageResources._3_layers_compose_nn),
        ("04-activations.nn", PackageResources._4_activations_nn),
        ("05-cost-and-gradient-descent.nn", PackageResources._5_cost_and_gradient_descent_nn),
        ("06-mini-batches.nn", PackageResources._6_mini_batches_nn),
        ("07-backpropagation.nn", PackageResources._7_backpropagation_nn),
        ("08-what-hidden-neurons-learn.nn", PackageResources._8_what_hidden_neurons_learn_nn),
        ("09-overfitting.nn", PackageResources._9_overfitting_nn),
        ("10-classes-data-regression.nn", PackageResources._0_classes_data_regression_nn),
    ]

    public static var count: Int { files.count }

    /// Lesson `n` (1-based), parsed.
    public static func lesson(_ n: Int) throws -> Lesson {
        guard (1...files.count).contains(n) else {
            throw NNPlayError("there is no lesson \(n): the lessons are 1…\(files.count) (`lesson` lists them)")
        }
        let file = files[n - 1]
        return try Lesson(parsing: try ScriptText.decode(file.bytes, name: file.name), name: file.name)
    }
}
