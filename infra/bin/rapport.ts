#!/usr/bin/env node
import { createRapportApp } from '../app';

createRapportApp().app.synth();
