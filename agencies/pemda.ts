import { z } from 'zod';
import { FamilyCardNumberSchema, NikSchema } from '../domain/household';
import type { TaskRequest } from '../domain/task-request';
import type { VisitPhase } from '../domain/graduation-steps';
import { rungUp, WelfareStatusSchema } from '../domain/welfare-status';
import { FormItemSchema, formOf, visitFindings, visitPhaseWords } from './visit-findings';
import { defineAgency, defineStep, type SimulatorAnswers } from './agency-definition';
import { TrainingParametersSchema } from './training-parameters';


/** Who the task is for: the same fields open every kind of SIPD task. */
const SubjectSchema = z.object({
  ref: z.string().min(1),
  kk: FamilyCardNumberSchema,
  nik: NikSchema,
  nama: z.string().min(1),
  desa: z.string().min(1),
});
const subjectOf = ({ taskId, household }: TaskRequest) => ({
  ref: taskId,
  kk: household.familyCardNumber,
  nik: household.headNik,
  nama: household.headName,
  desa: household.region,
});

/** Visits and training places share SIPD's register, its answers and its refusals. */
const sipd = {
  answer: {
    /** 201 for a new task; 409 for a ref already registered, with the existing task: that is our task. */
    accepted: z.object({ nomor_tugas: z.string().min(1) }),
    reference: (answer: { nomor_tugas: string }) => answer.nomor_tugas,
    alsoAccepted: [409],
    refusalReason: (body: unknown) => z.object({ pesan: z.string() }).safeParse(body).data?.pesan,
  },
  taskKey: ({ body }: { body: { ref: string } }) => body.ref,
  householdId: (body: { kk: string }) => body.kk,
  answers: {
    opened: (reference) => ({ status: 201, body: { nomor_tugas: reference } }),
    existing: (reference) => ({ status: 409, body: { pesan: 'sudah terdaftar', nomor_tugas: reference } }),
    unavailable: () => ({ status: 503, body: { pesan: 'server sedang sibuk' } }),
    refused: (reason) => ({ status: 422, body: { pesan: reason } }),
  } satisfies SimulatorAnswers,
};

/**
 * The regency's task API (SIPD style: Indonesian fields, HTTP Basic auth): facilitator visits,
 * and places at the regency's training centre (UPTD BLK), where a reassigned training goes.
 */
export const pemda = defineAgency({
  name: 'pemda',
  credentials: { USERNAME: 'sinergi', PASSWORD: 'dev-pemda-password' },
  // btoa, not Buffer: agency definitions are imported by workflows. The credentials are ASCII.
  authHeaders: (c) => ({ authorization: `Basic ${btoa(`${c.USERNAME}:${c.PASSWORD}`)}` }),
  simulator: { port: 9104, referencePrefix: 'KJG' },
  steps: {
    'follow-up-visit': defineStep({
      /** Which visit of how many this is; a plan with one unnumbered visit means 1 of 1. */
      parameters: z
        .object({
          visit: z.coerce.number().int().min(1).default(1),
          of: z.coerce.number().int().min(1).default(1),
        })
        .refine((p) => p.visit <= p.of, { path: ['visit'], message: 'cannot exceed "of"' }),
      request: {
        method: 'POST',
        path: '/sipd/kunjungan',
        schema: SubjectSchema.extend({
          /** This visit's number, 1-based, out of `dari`. */
          kunjungan_ke: z.number().int().min(1),
          dari: z.number().int().min(1),
          /** The household's welfare status as Sinergi knows it before this visit. */
          status_kesejahteraan: WelfareStatusSchema,
          /** Under graduation criteria: a planned visit, an extension's, or one after graduation... */
          jenis_kunjungan: z.enum(Object.values(visitPhaseWords) as [string, ...string[]]).optional(),
          /** ...and the indicators the facilitator must report, each with the value that meets it. */
          indikator: z.array(FormItemSchema).optional(),
        }).refine((b) => b.kunjungan_ke <= b.dari, { path: ['kunjungan_ke'], message: 'cannot exceed dari' }),
        body: (task, parameters) => ({
          ...subjectOf(task),
          kunjungan_ke: parameters.visit,
          dari: parameters.of,
          status_kesejahteraan: task.household.welfareStatus,
          ...(task.visit && { jenis_kunjungan: visitPhaseWords[task.visit.phase], indikator: formOf(task.visit.report) }),
        }),
      },
      answer: sipd.answer,
      simulator: {
        taskKey: sipd.taskKey,
        householdId: sipd.householdId,
        // With a form: the indicators (agencies/visit-findings.ts). Without (a plan without criteria):
        // the programme works, and by the last visit the facilitator sees the household a rung up.
        result: (body) => {
          const visitedOn = new Date().toISOString().slice(0, 10);
          if (!body.indikator) return { observedWelfareStatus: body.kunjungan_ke === body.dari ? rungUp(body.status_kesejahteraan) : body.status_kesejahteraan, visitedOn };
          const phase = (Object.keys(visitPhaseWords) as VisitPhase[]).find((p) => visitPhaseWords[p] === body.jenis_kunjungan) ?? 'planned';
          return { indicators: visitFindings(body.kk, phase, body.kunjungan_ke, body.dari, body.indikator), visitedOn };
        },
        answers: sipd.answers,
      },
    }),
    'job-training': defineStep({
      parameters: TrainingParametersSchema,
      request: {
        method: 'POST',
        path: '/sipd/pelatihan',
        schema: SubjectSchema.extend({ kode_kursus: z.string().min(1) }),
        body: (task, parameters) => ({ ...subjectOf(task), kode_kursus: parameters.course }),
      },
      answer: sipd.answer,
      simulator: {
        taskKey: sipd.taskKey,
        householdId: sipd.householdId,
        result: (body) => ({
          attendancePercent: 88,
          passed: true,
          certificateNumber: `UPTD-${body.kode_kursus.toUpperCase()}-${Date.now().toString(36).toUpperCase()}`,
        }),
        answers: sipd.answers,
      },
    }),
  },
  /** Cancels a task of either kind: POST .../batal with alasan. */
  cancel: { method: 'POST', path: '/sipd/tugas/:taskId/batal', body: (alasan) => ({ alasan }) },
});
