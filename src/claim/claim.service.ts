import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { AttachmentsService } from '../attachments/attachments.service';
import { summariseClaim, ClaimSummary, proofOfLossDue } from '../domain/insurance/claim-ledger';
import { claimPackage, documentationChecklist, DocumentationItem } from '../domain/insurance/claim-package';
import { CostEntry } from '../domain/insurance/coverage';
import { AttachmentKind } from '../domain/evidence/attachment-kinds';
import { cyberPolicyOf } from '../domain/insurance/ledger-state';
import { IncidentContext, InsurancePolicy } from '../domain/lifecycle/incident.types';
import { dossierPdf } from '../dossier/dossier-pdf';
import { IncidentsService } from '../incidents/incidents.service';
import { TransactionRunner } from '../persistence/transaction-runner';

export interface ClaimView {
  policy: InsurancePolicy | null;
  costs: CostEntry[];
  /** The totals, or what the policy still lacks for them to be computed. */
  summary: ClaimSummary | null;
  missingForSummary: string[];
  proofOfLossDue: string | null;
  documentation: DocumentationItem[];
}

/**
 * The claim and its cost ledger, read from the incident (the ledger changes only through its
 * events): totals against the policy, the documentation checklist, the claim package as a PDF.
 */
@Injectable()
export class ClaimService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly incidents: IncidentsService,
    private readonly attachments: AttachmentsService,
  ) {}

  async view(incidentId: string): Promise<ClaimView> {
    return (await this.build(incidentId)).view;
  }

  /** The claim package PDF; null (with what is missing) while the policy lacks its terms. */
  async packagePdf(incidentId: string): Promise<{ pdf: Readable; reference: string } | { missing: string[] }> {
    const { view, context, attachmentKinds, auditEvents } = await this.build(incidentId);
    const terms = cyberPolicyOf(context.insurance.policy);
    if (!terms.ok || !view.summary) return { missing: terms.ok ? [] : terms.missing };
    const story = claimPackage({ context, policy: terms.policy, entries: view.costs, summary: view.summary, attachmentKinds, auditEvents });
    return { pdf: dossierPdf(story), reference: context.reference };
  }

  /** Reads the incident, its current attachments and its trail once, for the view and the package. */
  private async build(incidentId: string): Promise<{ view: ClaimView; context: IncidentContext; attachmentKinds: AttachmentKind[]; auditEvents: number }> {
    const { snapshot } = await this.runner.read((m) => this.incidents.load(m, incidentId));
    const context = snapshot.context;
    const current = (await this.attachments.list(incidentId)).filter((a) => a.supersededBy === null);
    const auditEvents = (await this.incidents.events(incidentId)).length;
    const attachmentKinds = current.map((a) => a.kind);
    const invoices = new Set(current.map((a) => a.id));
    // An invoice reference that names no current attachment of this incident counts as no invoice.
    const costs = (context.insurance.costs ?? []).map((c) => (c.invoiceAttachmentId && !invoices.has(c.invoiceAttachmentId) ? { ...c, invoiceAttachmentId: undefined } : c));
    const terms = cyberPolicyOf(context.insurance.policy);
    const summary = terms.ok ? summariseClaim(terms.policy, costs) : null;
    const policy = context.insurance.policy ?? null;
    const documentation = terms.ok && summary
      ? documentationChecklist({ context, policy: terms.policy, entries: costs, summary, attachmentKinds, auditEvents })
      : [];
    return {
      context, attachmentKinds, auditEvents,
      view: {
        policy, costs, summary, missingForSummary: terms.ok ? [] : terms.missing,
        proofOfLossDue: policy?.periodEnd && policy.proofOfLossMonthsAfterPeriod !== undefined ? proofOfLossDue({ periodEnd: policy.periodEnd, proofOfLossMonthsAfterPeriod: policy.proofOfLossMonthsAfterPeriod }) : null,
        documentation,
      },
    };
  }
}
