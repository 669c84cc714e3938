import { openSqliteStore } from "../lib/store/sqlite_store.ts";
import { noteIdentityConformance } from "./note_identity_conformance.ts";

noteIdentityConformance("SQLite", () => openSqliteStore(":memory:"));
