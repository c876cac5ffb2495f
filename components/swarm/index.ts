export * from "./serviceHardening";
export * from "./swarmDatastore";
export * from "./swarmFacts";
export * from "./swarmNetwork";
export * from "./swarmPostgres";
export * from "./swarmPreflight";
export * from "./swarmRedis";
