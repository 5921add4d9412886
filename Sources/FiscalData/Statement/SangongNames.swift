// SangongNames.swift — the categories a “三公”经费 statement carries: the whole and its items, as the
// importer names them and the checks look them up.

public enum SangongNames {
    public static let all = "“三公”经费"
    public static let abroad = "因公出国（境）费"
    public static let cars = "公务用车购置及运行维护费"
    public static let carPurchase = "公务用车购置费"
    public static let carRunning = "公务用车运行维护费"
    public static let reception = "公务接待费"
}
