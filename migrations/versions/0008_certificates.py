"""printing: issued certificates

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 01:05:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('issued_certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('serial', sa.String(length=32), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('city', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_issued_certificate_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_certificate')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_issued_certificate_code_hash')),
    sa.UniqueConstraint('serial', name=op.f('uq_issued_certificate_serial'))
    )
    with op.batch_alter_table('issued_certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_certificate_city'), ['city'], unique=False)
        batch_op.create_index('ix_issued_certificate_city_person_issued', ['city', 'person_id', 'issued_at'], unique=False)


def downgrade():
    with op.batch_alter_table('issued_certificate', schema=None) as batch_op:
        batch_op.drop_index('ix_issued_certificate_city_person_issued')
        batch_op.drop_index(batch_op.f('ix_issued_certificate_city'))

    op.drop_table('issued_certificate')
