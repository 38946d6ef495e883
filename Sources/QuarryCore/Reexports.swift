@_exported import QuarryAPI
import Xapian

/// Settings the executables name without depending on the wrapper module themselves.
public typealias StemmingStrategy = Xapian.StemmingStrategy
